import { ArgumentError, describeValue, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { accuracyOf } from '../internal/counting';
import type { Labels } from '../internal/validate';

function lengthOf(x: unknown, op: string, arg: string): number {
  if (x instanceof Int32Array) return x.length;
  if (x instanceof tf.Tensor && x.rank === 1 && !x.isDisposed) return x.shape[0]!;
  throw new ArgumentError({
    op,
    argument: arg,
    expected: 'an Int32Array or a rank-1 tf.Tensor',
    actual: describeValue(x),
  });
}

/** @internal Checks that `predictions` and `labels` are label vectors of one non-zero length. */
export function checkPair(predictions: unknown, labels: unknown, op: string): number {
  const n = lengthOf(predictions, op, 'predictions');
  const m = lengthOf(labels, op, 'labels');
  if (n !== m) {
    throw new ShapeError({
      op,
      argument: 'labels',
      expected: String(n),
      actual: String(m),
      message: `${op}: 'labels' has ${m} entries but 'predictions' has ${n}; both must have the same length.`,
    });
  }
  if (n === 0) {
    throw new ArgumentError({ op, argument: 'labels', expected: 'at least one entry', actual: '0 entries' });
  }
  return n;
}

/** @internal Reads a label vector as numbers (tensor data awaited, typed arrays as they are). */
export async function readValues(x: Labels): Promise<ArrayLike<number>> {
  return x instanceof Int32Array ? x : await x.data();
}

/**
 * Top-1 accuracy: the share of entries where the prediction equals the label,
 * `acc = (1/N) · Σ_i [predictions_i = labels_i]`.
 *
 * @param predictions - predicted class ids `[N]`, an `Int32Array` or a rank-1 tensor
 * @param labels - true class ids `[N]`, same kinds
 * @returns a promise of the accuracy in [0, 1]
 * @throws ShapeError when the lengths differ; ArgumentError when either is not a label vector or is empty
 * @example
 * ```ts
 * await accuracy(Int32Array.of(0, 1, 2, 2), Int32Array.of(0, 1, 1, 2)); // 0.75
 * ```
 * @see Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance Discrimination" (InstDisc), CVPR 2018
 */
export async function accuracy(predictions: Labels, labels: Labels): Promise<number> {
  checkPair(predictions, labels, 'accuracy');
  const [p, l] = await Promise.all([readValues(predictions), readValues(labels)]);
  return accuracyOf(p, l);
}
