import { l2Normalize } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stop-gradient';

/** Row-wise cosine similarity of two `[B, D]` tensors: `[B]`. */
export function cosineRows(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(l2Normalize(a), l2Normalize(b)), 1);
}

/** `-cos(p, stopGradient(z))` per row, `[B]`: SimSiam's `D(p, z)` before the batch mean. */
export function negativeCosineRows(p: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(cosineRows(p, stopGradient(z)));
}
