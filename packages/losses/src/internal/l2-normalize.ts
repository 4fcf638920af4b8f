import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stop-gradient';

/**
 * The norm floor of {@link l2Normalize}: rows shorter than this are divided by it instead, so a zero
 * row maps to zero (as PyTorch's `F.normalize(x, eps)` does) and no NaN reaches the loss or gradient.
 */
export const NORM_EPSILON = 1e-8;

/**
 * Rows scaled to unit length: `x / max(||x||, eps)` along the last axis, written as
 * `x * rsqrt(max(sum(x^2), eps^2))` so the gradient stays finite at `x = 0` (`maximum` sends no
 * gradient to the clamped branch, where `sqrt` would send an infinite one).
 */
export function l2Normalize<T extends tf.Tensor>(x: T, eps = NORM_EPSILON): T {
  const squaredNorm = tf.sum(tf.square(x), -1, true);
  return tf.mul(x, tf.rsqrt(tf.maximum(squaredNorm, eps * eps))) as T;
}

/** Row-wise cosine similarity of two `[B, D]` tensors: `[B]`. */
export function cosineRows(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(l2Normalize(a), l2Normalize(b)), 1);
}

/** `-cos(p, stopGradient(z))` per row, `[B]`: SimSiam's `D(p, z)` before the batch mean. */
export function negativeCosineRows(p: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(cosineRows(p, stopGradient(z)));
}
