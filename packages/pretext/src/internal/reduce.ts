import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** How a loss reduces its per-sample (or per-pixel) values, as everywhere in genoise. */
export type Reduction = 'mean' | 'sum' | 'none';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Throws an `ArgumentError` unless `reduction` is `'mean'`, `'sum'` or `'none'`. */
export function checkReduction(op: string, reduction: unknown): asserts reduction is Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new ArgumentError({
      op,
      argument: 'reduction',
      expected: "'mean', 'sum' or 'none'",
      actual: typeof reduction === 'string' ? `'${reduction}'` : String(reduction),
    });
  }
}

/** Reduces unreduced values to a scalar (`'mean'`, `'sum'`) or returns them (`'none'`). */
export function reduce(values: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(values);
  if (reduction === 'sum') return tf.sum(values);
  return values;
}
