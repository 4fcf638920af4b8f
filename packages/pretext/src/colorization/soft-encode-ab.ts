import { checkDType, checkOptions, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber } from '../internal/checks';
import { AB_BIN_COUNT, binDistances } from './ab-bins';

/** Options of {@link softEncodeAb}. */
export interface SoftEncodeAbOptions {
  /** How many nearest bins share each value. Default 5 (the paper; the authors' code uses 10). */
  readonly neighbours?: number;
  /** Standard deviation of the Gaussian weights, in ab units. Default 5. */
  readonly sigma?: number;
}

const OP = 'softEncodeAb';

/**
 * Soft-encodes ab values over the quantised bins: each pixel's `k` nearest bin centres get weights
 * `exp(-d^2 / (2 sigma^2))`, normalised to sum to 1; the other bins get 0. The target distribution of
 * the colorization loss.
 *
 * @param ab - float32 `[B, H, W, 2]` (a, b) values
 * @param options - `neighbours` (5), `sigma` (5)
 * @returns `[B, H, W, Q]`, `Q` = 261 ({@link abBins})
 * @throws ShapeError unless `ab` is `[B, H, W, 2]`; ArgumentError for bad options
 * @example
 * ```ts
 * const targets = softEncodeAb(ab); // [B, H, W, 261]
 * ```
 * @see Zhang, Isola, Efros 2016, section 2.1, https://arxiv.org/abs/1603.08511
 */
export const softEncodeAb = defineOp(OP, (ab: tf.Tensor, options?: SoftEncodeAbOptions): tf.Tensor4D => {
  const { neighbours = 5, sigma = 5 } = checkOptions(options, ['neighbours', 'sigma'], { op: OP });
  checkInteger(OP, 'neighbours', neighbours, 1, AB_BIN_COUNT);
  checkNumber(OP, 'sigma', sigma, { min: 0, exclusiveMin: true });
  const dims = checkShape(ab, ['B', 'H', 'W', 2], { op: OP, arg: 'ab' });
  checkDType(ab, ['float32'], { op: OP, arg: 'ab' });
  const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
  const d2 = binDistances(tf.reshape(ab, [-1, 2]) as tf.Tensor2D); // [N, Q]
  const { values, indices } = tf.topk(tf.neg(d2), neighbours); // nearest first
  const weights = tf.exp(tf.div(values, 2 * sigma * sigma)); // exp(-d^2 / (2 sigma^2)), [N, k]
  const normalised = tf.div(weights, tf.sum(weights, 1, true));
  let encoded: tf.Tensor = tf.zeros(d2.shape);
  const columns = tf.split(indices, neighbours, 1);
  const columnWeights = tf.split(normalised, neighbours, 1);
  for (let j = 0; j < neighbours; j++) {
    const hot = tf.oneHot(tf.reshape(columns[j]!, [-1]) as tf.Tensor1D, AB_BIN_COUNT);
    encoded = tf.add(encoded, tf.mul(hot, columnWeights[j]!));
  }
  return tf.reshape(encoded, [B, H, W, AB_BIN_COUNT]) as tf.Tensor4D;
});
