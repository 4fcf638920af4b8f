import { checkDType, checkOptions, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../internal/checks';
import { AB_BIN_COUNT, binCentres } from './ab-bins';

/** Options of {@link annealedMean}. */
export interface AnnealedMeanOptions {
  /** Temperature `T > 0`: 1 is the mean, towards 0 the mode. Default 0.38 (the paper). */
  readonly temperature?: number;
}

const OP = 'annealedMean';

/**
 * Decodes predicted bin distributions to ab values by the annealed mean: re-normalise the
 * distribution at temperature `T`, `f_T(z) = exp(log z / T) / sum exp(log z / T)`, which for
 * `z = softmax(logits)` is `softmax(logits / T)`, and take the expectation of the bin centres. Between
 * the mean (desaturated) and the mode (spatially inconsistent), as the paper argues.
 *
 * @param logits - `[B, H, W, Q]` float32, `Q` = 261
 * @param options - `temperature` (0.38)
 * @returns `[B, H, W, 2]` (a, b)
 * @throws ShapeError unless `logits` is `[B, H, W, 261]`; ArgumentError for `T <= 0`
 * @example
 * ```ts
 * const ab = annealedMean(network.apply(lightness) as tf.Tensor4D); // [B, H, W, 2]
 * ```
 * @see Zhang, Isola, Efros 2016, equation 5, https://arxiv.org/abs/1603.08511
 */
export const annealedMean = defineOp(OP, (logits: tf.Tensor, options?: AnnealedMeanOptions): tf.Tensor4D => {
  const { temperature = 0.38 } = checkOptions(options, ['temperature'], { op: OP });
  checkNumber(OP, 'temperature', temperature, { min: 0, exclusiveMin: true });
  const dims = checkShape(logits, ['B', 'H', 'W', AB_BIN_COUNT], { op: OP, arg: 'logits' });
  checkDType(logits, ['float32'], { op: OP, arg: 'logits' });
  const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
  const probabilities = tf.softmax(tf.reshape(tf.div(logits, temperature), [-1, AB_BIN_COUNT]));
  return tf.reshape(tf.matMul(probabilities, binCentres()), [B, H, W, 2]) as tf.Tensor4D;
});
