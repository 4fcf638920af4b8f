import type { Key } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The size of one image of a batch `[B, H, W, C]`: `H`, `W` and `C`. */
export interface ImageSize {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** What every augmentation's params hold: which samples the augmentation was applied to. */
export interface AppliedParams {
  /** `[B]`, 1 where the augmentation was applied to the sample (probability `p`), 0 where it was not. */
  readonly applied: Uint8Array;
}

/**
 * A batched, seeded augmentation: `sample` draws per-sample parameters from a key, `apply` applies them
 * to a batch. Parameters are plain values (typed arrays and numbers, never tensors), so a pretext task
 * can read its labels from them and a run can be replayed from its key.
 *
 * `out = apply(images, sample(key, B, { height: H, width: W, channels: C }))`
 *
 * @typeParam P - the parameters drawn by `sample` and read by `apply`
 * @example
 * ```ts
 * const flip = horizontalFlip({ p: 0.5 });
 * const params = flip.sample(createKey(0), 8, { height: 32, width: 32, channels: 3 });
 * const out = flip.apply(images, params); // [8, 32, 32, 3]; params.applied says which were flipped
 * ```
 * @see https://pytorch.org/vision/stable/transforms.html (torchvision v2 splits `make_params` from `transform`)
 */
export interface Augmentation<P = unknown> {
  /** The augmentation's name, used in errors and tidy scopes, e.g. `'horizontalFlip'`. */
  readonly name: string;
  /**
   * Draws per-sample parameters for a batch (plain JS objects and typed arrays; no tensors).
   *
   * @param key - the PRNG key; the same key gives the same parameters
   * @param batchSize - `B`, a positive integer
   * @param imageSize - `H`, `W`, `C` of the images the parameters will be applied to
   * @throws ArgumentError for a bad key, batch size or image size
   */
  sample(key: Key, batchSize: number, imageSize: ImageSize): P;
  /**
   * Applies the parameters to a batch.
   *
   * @param images - float32 `[B, H, W, C]` in [0, 1]
   * @param params - parameters from `sample` with the same `B` (and `H`, `W` where they matter)
   * @returns a new float32 tensor `[B, H', W', C]`, owned by the caller (`H'`, `W'` differ for a crop)
   * @throws ShapeError, DTypeError or ArgumentError for images or params that do not fit
   */
  apply(images: tf.Tensor4D, params: P): tf.Tensor4D;
  /**
   * The size of the output for an input of size `imageSize`; absent when the size is unchanged.
   * `pipeline` uses it to sample later augmentations at the right size.
   */
  outputSize?(imageSize: ImageSize): ImageSize;
}
