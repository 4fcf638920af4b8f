import { checkOneOf } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from '../common/reduction';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Throws an `ArgumentError` unless `reduction` is `'mean'`, `'sum'` or `'none'`. */
export function checkReduction(op: string, reduction: unknown): asserts reduction is Reduction {
  checkOneOf(reduction, REDUCTIONS, { op, arg: 'reduction' });
}

/** Reduces per-anchor values `[A]` to a scalar (`'mean'`, `'sum'`) or returns them (`'none'`). */
export function reduce(values: tf.Tensor1D, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(values);
  if (reduction === 'sum') return tf.sum(values);
  return values;
}

/** Reduces a per-pixel map `[B, H, W, 1]` to a scalar (`'mean'`, `'sum'`) or returns it (`'none'`). */
export function reducePixels(map: tf.Tensor4D, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(map);
  if (reduction === 'sum') return tf.sum(map);
  return map;
}
