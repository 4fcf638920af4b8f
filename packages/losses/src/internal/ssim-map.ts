import { reflectPad } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { boxMean3 } from './box-mean';

/** SSIM's stabilising constants for a data range of 1: `C1 = (0.01 L)^2`, `C2 = (0.03 L)^2`. */
export const SSIM_C1 = 0.01 ** 2;
export const SSIM_C2 = 0.03 ** 2;

/**
 * The SSIM ratio from filtered moments, all `[B, H', W', C]`:
 * `((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(s_x + s_y + C2))` with
 * `s_x = E[x^2] - mu_x^2`, `s_xy = E[xy] - mu_x mu_y`. Written so that `x = y` gives exactly 1 in float32
 * (`2ab` and `a^2 + b^2` round identically when `a = b`).
 */
export function ssimFromMoments(
  muX: tf.Tensor,
  muY: tf.Tensor,
  xx: tf.Tensor,
  yy: tf.Tensor,
  xy: tf.Tensor,
  c1: number,
  c2: number,
): tf.Tensor {
  const muXY = tf.mul(muX, muY);
  const muXX = tf.square(muX);
  const muYY = tf.square(muY);
  const sigmaX = tf.sub(xx, muXX);
  const sigmaY = tf.sub(yy, muYY);
  const sigmaXY = tf.sub(xy, muXY);
  const numerator = tf.mul(tf.add(tf.mul(muXY, 2), c1), tf.add(tf.mul(sigmaXY, 2), c2));
  const denominator = tf.mul(tf.add(tf.add(muXX, muYY), c1), tf.add(tf.add(sigmaX, sigmaY), c2));
  return tf.div(numerator, denominator);
}

/**
 * The five local moments' inputs stacked on the batch axis, `[5B, H, W, C]`: `x, y, x^2, y^2, xy`, so
 * one filter pass computes all of them. The batch axis, not the channel axis: splitting it back is a
 * contiguous copy, where a channel split makes tfjs 4.22 wasm copy one pixel at a time.
 */
export function stackMoments(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  return tf.concat([x, y, tf.square(x), tf.square(y), tf.mul(x, y)], 0) as tf.Tensor4D;
}

/** Splits a filtered `[5B, H', W', C]` stack back into `[mu_x, mu_y, E[x^2], E[y^2], E[xy]]`. */
export function splitMoments(filtered: tf.Tensor4D): tf.Tensor4D[] {
  return tf.split(filtered, 5, 0);
}

/**
 * Monodepth2's per-pixel, per-channel SSIM dissimilarity `clamp((1 - SSIM) / 2, 0, 1)`, `[B, H, W, C]`:
 * reflection padding 1, 3x3 box (average-pool) moments, `C1 = 0.01^2`, `C2 = 0.03^2`.
 * Needs `H, W >= 2`.
 */
export function ssimDissimilarity(x: tf.Tensor4D, y: tf.Tensor4D): tf.Tensor4D {
  // Pad x and y, then form the products (the same values as padding the products, with 2 pads, not 5).
  const padded = stackMoments(reflectPad(x, 1), reflectPad(y, 1)); // [5B, H+2, W+2, C]
  const pooled = boxMean3(padded); // [5B, H, W, C], a 3x3 average pool
  const [muX, muY, xx, yy, xy] = splitMoments(pooled) as [
    tf.Tensor4D,
    tf.Tensor4D,
    tf.Tensor4D,
    tf.Tensor4D,
    tf.Tensor4D,
  ];
  const similarity = ssimFromMoments(muX, muY, xx, yy, xy, SSIM_C1, SSIM_C2);
  return tf.clipByValue(tf.div(tf.sub(1, similarity), 2), 0, 1) as tf.Tensor4D;
}
