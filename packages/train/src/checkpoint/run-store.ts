import type { Checkpoint } from './checkpoint-types';

/** A checkpoint as the loop hands it to a store (the store stamps format, version and time). */
export type CheckpointData = Omit<Checkpoint, 'format' | 'version' | 'createdAt'>;

/**
 * Where a run keeps its checkpoint and metrics. The loop is storage-agnostic (so it runs in a browser);
 * `@genoise/train/node` has `folderRunStore(runDir)` (atomic checkpoint folders, `metrics.jsonl`), and
 * {@link memoryRunStore} keeps everything in memory.
 */
export interface RunStore {
  /** Where it stores, for messages (a folder path, `'memory'`). */
  readonly location: string;
  /** The last checkpoint, or `undefined` when the run has none. */
  load(): Promise<Checkpoint | undefined>;
  /** Replaces the checkpoint; a store must leave the previous one intact if this fails midway. */
  save(checkpoint: CheckpointData): Promise<void>;
  /** Appends one metrics record (`{ step, loss, ...terms, learningRate, ... }`). */
  appendMetrics(record: { readonly step: number; readonly [field: string]: number }): Promise<void>;
  /** Drops the metrics records after `step` (on resume). */
  truncateMetrics(step: number): Promise<void>;
}

/** A {@link RunStore} in memory: tests, demos, the studio's worker. */
export function memoryRunStore(): RunStore & { readonly metrics: readonly { step: number }[] } {
  let checkpoint: Checkpoint | undefined;
  let metrics: { step: number }[] = [];
  return {
    location: 'memory',
    get metrics() {
      return metrics;
    },
    load: async () => checkpoint,
    async save(data) {
      checkpoint = { format: 'genoise-checkpoint', version: 1, createdAt: new Date().toISOString(), ...data };
    },
    async appendMetrics(record) {
      metrics.push({ ...record });
    },
    async truncateMetrics(step) {
      metrics = metrics.filter((r) => r.step <= step);
    },
  };
}
