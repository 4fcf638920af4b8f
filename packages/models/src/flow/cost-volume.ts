import { checkBoolean, checkInteger, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link costVolume}. */
export interface CostVolumeOptions {
  /** Largest displacement d in pixels along each axis; the output has `(2d + 1)^2` channels. Default 4. */
  readonly maxDisplacement?: number;
  /**
   * Divide each pixel's feature vector by its root mean square over channels first,
   * `f / sqrt(mean_c f^2 + 1e-6)`, so every entry is the cosine similarity of the two vectors, in
   * [-1, 1] (0 where a vector is zero, e.g. outside the map). Without it the entries follow the
   * features' magnitudes, which can swamp the matching signal (flowNet's cost volumes did not learn without it). Default false
   * (FlowNetC's and PWC-Net's plain mean of products).
   */
  readonly normalize?: boolean;
}

const OP = 'costVolume';

/**
 * The cost volume (correlation layer) of FlowNetC and PWC-Net: for every pixel and every integer
 * displacement `(dx, dy)` in `[-d, d]^2`, the mean over channels of the product of the two feature maps,
 *
 * `cv[b, y, x, (dy + d)(2d + 1) + (dx + d)] = (1 / C) sum_c f1[b, y, x, c] f2[b, y + dy, x + dx, c]`,
 *
 * with `f2` taken as zero outside the map. Channel order: dy outer (top to bottom), dx inner (left to
 * right), as FlowNet's correlation layer; channel `d (2d + 1) + d` (the centre) is zero displacement.
 * Built from zero padding, `2(2d + 1)` slices (rows, then columns), one product and one mean, so it is
 * differentiable with respect to both maps on every backend (no custom kernel); memory and time grow as
 * `(2d + 1)^2 B H W C`.
 *
 * @param f1 - features of frame 1, float32 `[B, H, W, C]`
 * @param f2 - features of frame 2 (usually warped towards frame 1), float32 `[B, H, W, C]`
 * With `normalize`, `f1` and `f2` are first divided by their per-pixel RMS over channels (cosine similarity).
 *
 * @param options - see {@link CostVolumeOptions}
 * @returns float32 `[B, H, W, (2d + 1)^2]`
 * @throws ShapeError when either map is not `[B, H, W, C]` or their shapes differ; ArgumentError when
 *   `maxDisplacement` is not an integer in [0, 32] or an option is unknown
 * @example
 * ```ts
 * const cv = costVolume(features1, flowWarp(features2, upsampledFlow), { maxDisplacement: 4 }); // [B,h,w,81]
 * ```
 * @see Sun et al., "PWC-Net: CNNs for Optical Flow Using Pyramid, Warping, and Cost Volume", CVPR 2018,
 *   https://arxiv.org/abs/1709.02371; Dosovitskiy et al., "FlowNet", ICCV 2015
 */
export const costVolume = defineOp(
  OP,
  (f1: tf.Tensor4D, f2: tf.Tensor4D, options?: CostVolumeOptions): tf.Tensor4D => {
    const dims = shapeBindings();
    checkShape(f1, ['B', 'H', 'W', 'C'], { op: OP, arg: 'f1', bindings: dims });
    checkShape(f2, ['B', 'H', 'W', 'C'], { op: OP, arg: 'f2', bindings: dims });
    const { maxDisplacement = 4, normalize = false } = checkOptions(
      options,
      ['maxDisplacement', 'normalize'],
      {
        op: OP,
      },
    );
    checkInteger(maxDisplacement, { op: OP, arg: 'maxDisplacement', min: 0, max: 32 });
    checkBoolean(normalize, { op: OP, arg: 'normalize' });
    if (normalize) {
      f1 = tf.div(f1, tf.sqrt(tf.add(tf.mean(tf.square(f1), -1, true), 1e-6))) as tf.Tensor4D;
      f2 = tf.div(f2, tf.sqrt(tf.add(tf.mean(tf.square(f2), -1, true), 1e-6))) as tf.Tensor4D;
    }
    const d = maxDisplacement;
    const [batch, height, width, channels] = f1.shape;
    const side = 2 * d + 1;
    const padded = tf.pad(f2, [
      [0, 0],
      [d, d],
      [d, d],
      [0, 0],
    ]);
    // Shift rows, then columns: 2(2d+1) slices instead of (2d+1)^2 (the op count, not the flops, is
    // what costs on tfjs). rows: [B, H, W+2d, (dy, C)]; shifted: [B*H*W, dx, dy, C].
    const rowShifts: tf.Tensor[] = [];
    for (let dy = 0; dy < side; dy++)
      rowShifts.push(tf.slice(padded, [0, dy, 0, 0], [batch, height, width + 2 * d, channels]));
    const rows = tf.reshape(tf.concat(rowShifts, -1), [batch * height, width + 2 * d, side * channels]);
    const colShifts: tf.Tensor[] = [];
    for (let dx = 0; dx < side; dx++)
      colShifts.push(tf.slice(rows, [0, dx, 0], [batch * height, width, side * channels]));
    const shifted = tf.reshape(tf.concat(colShifts, -1), [batch * height * width, side, side, channels]);
    const products = tf.mean(tf.mul(shifted, tf.reshape(f1, [batch * height * width, 1, 1, channels])), -1); // [BHW, dx, dy]
    return tf.reshape(tf.transpose(products, [0, 2, 1]), [batch, height, width, side * side]) as tf.Tensor4D;
  },
);
