import type * as tf from '@tensorflow/tfjs-core';

/**
 * A finite, indexable set of images with optional integer labels: the one interface every loader in
 * this package returns and {@link batches}, {@link subset} and {@link take} consume.
 *
 * Images are float32 NHWC in [0, 1]. A dataset holds its pixels outside tfjs (typically as bytes) and
 * makes a tensor only when asked, so a 70,000-image set costs no GPU memory until a batch is drawn.
 *
 * @example
 * ```ts
 * const data = uint8Dataset({ name: 'toy', pixels: new Uint8Array(2 * 4 * 4 * 1), imageShape: [4, 4, 1] });
 * const x = data.images([0, 1]); // float32 [2, 4, 4, 1]
 * x.dispose();
 * ```
 */
export interface Dataset {
  /** A short name for logs and reports, e.g. `'fashion-mnist/train'`. */
  readonly name: string;
  /** The number of examples. */
  readonly size: number;
  /** `[H, W, C]` of every example. */
  readonly imageShape: readonly [number, number, number];
  /** The number of classes when labels are known, else `undefined`. */
  readonly numClasses: number | undefined;
  /** Human-readable class names, indexed by label, when known. */
  readonly classNames: readonly string[] | undefined;
  /** One label in `[0, numClasses)` per example, when known. */
  readonly labels: Int32Array | undefined;
  /**
   * Float32 images `[n, H, W, C]` in [0, 1] for the given example indices, in that order (repeats
   * allowed). The caller owns (and disposes) the tensor.
   *
   * @throws ArgumentError when an index is not an integer in `[0, size)`
   */
  images(indices: ArrayLike<number>): tf.Tensor4D;
  /**
   * Optional fast path: the same values as {@link Dataset.images} as a plain `Float32Array` of
   * `n * H * W * C` values, no tensor. {@link batches} uses it to assemble the next batches ahead of
   * time; a dataset without it is still batched, without prefetching.
   */
  readonly floatPixels?: (indices: ArrayLike<number>) => Float32Array;
}

/**
 * What a loader read: `loaded` records kept and `skipped` records (or files) counted by reason, e.g.
 * `{ loaded: 70000, skipped: { empty: 2 } }`.
 */
export interface LoadReport {
  /** Records read and kept, over all files the loader read (all splits). */
  readonly loaded: number;
  /** Records skipped, by reason (see each loader for its reasons). Reasons with no count are absent. */
  readonly skipped: Readonly<Record<string, number>>;
}
