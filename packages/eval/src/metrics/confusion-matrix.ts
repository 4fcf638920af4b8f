import { checkInteger } from '@genoise/core';
import { confusionOf } from '../internal/counting';
import { type Labels, readLabels } from '../internal/validate';
import { checkPair } from './accuracy';

/**
 * The confusion matrix: `C[i][j] = #{ n : labels_n = i and predictions_n = j }`, so row `i` sums to the
 * number of examples of class `i` and the diagonal holds the hits.
 *
 * @param predictions - predicted class ids `[N]` in `[0, numClasses)`, an `Int32Array` or a rank-1 tensor
 * @param labels - true class ids `[N]` in `[0, numClasses)`, same kinds
 * @param numClasses - the number of classes C, a positive integer
 * @returns a promise of a `C x C` array of counts (row = true class, column = predicted class)
 * @throws ShapeError when the lengths differ; ArgumentError when a value lies outside `[0, numClasses)`
 * @example
 * ```ts
 * await confusionMatrix(Int32Array.of(0, 1, 1), Int32Array.of(0, 0, 1), 2); // [[1, 1], [0, 1]]
 * ```
 * @see Stehman, "Selecting and interpreting measures of thematic classification accuracy", 1997
 */
export async function confusionMatrix(
  predictions: Labels,
  labels: Labels,
  numClasses: number,
): Promise<number[][]> {
  const op = 'confusionMatrix';
  checkPair(predictions, labels, op);
  checkInteger(numClasses, { op, arg: 'numClasses', min: 1 });
  const p = await readLabels(predictions, numClasses, op, 'predictions');
  const l = await readLabels(labels, numClasses, op, 'labels');
  return confusionOf(p, l, numClasses);
}
