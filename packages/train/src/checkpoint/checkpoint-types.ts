/** One saved array: a name, a shape and float32 values. */
export interface SavedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  readonly meta?: Record<string, number>;
}

/** What a checkpoint holds: progress, the run's config, and named groups of arrays. */
export interface Checkpoint<Config = unknown> {
  readonly format: 'genoise-checkpoint';
  readonly version: 1;
  /** Optimisation steps completed. */
  readonly step: number;
  readonly config: Config;
  readonly createdAt: string;
  /** Groups of arrays, e.g. one per model, `optimizer`, `extra`. */
  readonly groups: Readonly<Record<string, readonly SavedArray[]>>;
}
