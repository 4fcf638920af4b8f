import { checkImages, checkOptions, defineOp, type Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkTaskKey } from '../internal/checks';
import { rgbToLab } from './lab';
import { type SoftEncodeAbOptions, softEncodeAb } from './soft-encode-ab';

/** Options of {@link colorizationTask}: those of {@link softEncodeAb}. */
export type ColorizationTaskOptions = SoftEncodeAbOptions;

/** What {@link colorizationTask} builds. */
export type ColorizationTask = {
  /** `[B, H, W, 1]` lightness `L / 100`, in [0, 1]. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H, W, Q]` soft-encoded ab over the 261 bins. */
  readonly targets: tf.Tensor4D;
  /** `[B, H, W, 2]` the true (a, b), for histograms, regression baselines and pictures. */
  readonly ab: tf.Tensor4D;
  /**
   * `[B]` 1 for images with some colour (a pixel with `|a| > 5` or `|b| > 5`), 0 for near-grey ones: the
   * authors' code gives near-grey images zero weight; pass as `colorizationLoss`'s `sampleWeights`.
   */
  readonly colorful: tf.Tensor1D;
};

const OP = 'colorizationTask';

/**
 * Colorization as classification (Zhang et al. 2016): from the lightness channel of CIE Lab, predict
 * a distribution over the quantised ab bins. The input is `L / 100` (the pinned [0, 1] image range;
 * the paper feeds `L - 50`), the target the soft encoding of the true ab ({@link softEncodeAb}).
 * Deterministic: the key is accepted for a uniform task signature and checked, not used.
 *
 * @param key - unused (checked)
 * @param images - float32 `[B, H, W, 3]` sRGB in [0, 1]
 * @param options - `neighbours` (5), `sigma` (5)
 * @returns `{ inputs, targets, ab, colorful }`, see {@link ColorizationTask}
 * @throws ShapeError unless the images have 3 channels (colour); ArgumentError for bad options
 * @example
 * ```ts
 * const { inputs, targets } = colorizationTask(createKey(0), images);
 * const loss = colorizationLoss(network.apply(inputs) as tf.Tensor4D, targets, { weights });
 * ```
 * @see Zhang, Isola, Efros 2016, Colorful image colorization, https://arxiv.org/abs/1603.08511
 */
export const colorizationTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options?: ColorizationTaskOptions): ColorizationTask => {
    checkTaskKey(OP, key);
    const opts = checkOptions(options, ['neighbours', 'sigma'], { op: OP });
    checkImages(images, { op: OP, arg: 'images', channels: [3] });
    const lab = rgbToLab(images);
    const L = tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]);
    const ab = tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]) as tf.Tensor4D;
    const colorful = tf.cast(tf.any(tf.greater(tf.abs(ab), 5), [1, 2, 3]), 'float32') as tf.Tensor1D;
    return { inputs: tf.div(L, 100) as tf.Tensor4D, targets: softEncodeAb(ab, opts), ab, colorful };
  },
);
