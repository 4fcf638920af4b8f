import { ArgumentError, checkImages, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

const OP = 'rotate90';

/** Rotation by `k` quarter turns, exact (reverse and transpose only); `k` taken modulo 4. */
export function rotateQuarterTurns(images: tf.Tensor4D, k: number): tf.Tensor4D {
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return tf.clone(images);
  if (turns === 1) return tf.transpose(tf.reverse(images, 2), [0, 2, 1, 3]); // [B, W, H, C]
  if (turns === 2) return tf.reverse(images, [1, 2]);
  return tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 2); // [B, W, H, C]
}

/**
 * Rotates every image of a batch by `k` quarter turns counter-clockwise as displayed (y down), the
 * convention of `numpy.rot90` and of RotNet's labels: `out[y][x] = in[x][W-1-y]` for `k = 1`.
 * Exact: built from `reverse` and `transpose` only, no resampling.
 *
 * @param images - float32 `[B, H, W, C]`
 * @param k - an integer number of quarter turns (any sign, taken modulo 4)
 * @returns `[B, H, W, C]` for even `k`, `[B, W, H, C]` for odd `k`
 * @throws ShapeError/DTypeError for bad images; ArgumentError when `k` is not an integer
 * @example
 * ```ts
 * const quarter = rotate90(images, 1); // 90 degrees counter-clockwise
 * ```
 * @see Gidaris, Singh, Komodakis 2018, Unsupervised representation learning by predicting image rotations
 */
export const rotate90 = defineOp(OP, (images: tf.Tensor, k: number): tf.Tensor4D => {
  checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
  if (typeof k !== 'number' || !Number.isInteger(k)) {
    throw new ArgumentError({
      op: OP,
      argument: 'k',
      expected: 'an integer number of quarter turns',
      actual: String(k),
    });
  }
  return rotateQuarterTurns(images as tf.Tensor4D, k);
});
