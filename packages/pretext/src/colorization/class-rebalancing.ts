import { checkDType, checkOptions, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../internal/checks';
import { AB_BIN_COUNT, binCentres, binDistances } from './ab-bins';

/**
 * Counts how many pixels fall nearest to each ab bin: the empirical colour distribution. Sum the
 * counts of many batches and pass the total to {@link rebalancingWeights}.
 *
 * @param ab - float32 `[B, H, W, 2]`
 * @returns `[Q]` float32 counts
 * @throws ShapeError unless `ab` is `[B, H, W, 2]`
 * @example
 * ```ts
 * const counts = abHistogram(tf.slice(rgbToLab(images), [0, 0, 0, 1], [-1, -1, -1, 2]));
 * ```
 */
export const abHistogram = defineOp('abHistogram', (ab: tf.Tensor): tf.Tensor1D => {
  checkShape(ab, ['B', 'H', 'W', 2], { op: 'abHistogram', arg: 'ab' });
  checkDType(ab, ['float32'], { op: 'abHistogram', arg: 'ab' });
  const nearest = tf.argMin(binDistances(tf.reshape(ab, [-1, 2]) as tf.Tensor2D), 1) as tf.Tensor1D; // [N]
  return tf.sum(tf.oneHot(nearest, AB_BIN_COUNT), 0) as tf.Tensor1D;
});

/** Options of {@link rebalancingWeights}. */
export interface RebalancingWeightsOptions {
  /** Mixing weight `lambda` of the uniform distribution, in [0, 1]. Default 0.5. */
  readonly mix?: number;
  /** Standard deviation of the Gaussian smoothing of the prior over bin centres, in ab units; 0 turns it off. Default 5. */
  readonly sigma?: number;
}

const OP = 'rebalancingWeights';

/**
 * Class-rebalancing weights of colorization: the empirical prior `p` (counts normalised), smoothed
 * with a Gaussian kernel over the bin centres (`p~_q ∝ sum_r p_r exp(-|c_q - c_r|^2 / (2 sigma^2))`),
 * mixed with the uniform distribution and inverted, `w ∝ ((1 - lambda) p~ + lambda / Q)^-1`, then
 * normalised so that `E_p~[w] = sum_q p~_q w_q = 1`. Rare (saturated) colours weigh more.
 *
 * @param counts - `[Q]` float32 bin counts ({@link abHistogram}), not all zero
 * @param options - `mix` (0.5), `sigma` (5)
 * @returns `[Q]` weights
 * @throws ShapeError unless `counts` is `[261]`; ArgumentError for bad options
 * @example
 * ```ts
 * const weights = rebalancingWeights(abHistogram(ab));
 * const loss = colorizationLoss(logits, softEncodeAb(ab), { weights });
 * ```
 * @see Zhang, Isola, Efros 2016, section 2.2 (lambda 1/2, sigma 5), https://arxiv.org/abs/1603.08511
 */
export const rebalancingWeights = defineOp(
  OP,
  (counts: tf.Tensor, options?: RebalancingWeightsOptions): tf.Tensor1D => {
    const { mix = 0.5, sigma = 5 } = checkOptions(options, ['mix', 'sigma'], { op: OP });
    checkNumber(OP, 'mix', mix, { min: 0, max: 1 });
    checkNumber(OP, 'sigma', sigma, { min: 0 });
    checkShape(counts, [AB_BIN_COUNT], { op: OP, arg: 'counts' });
    checkDType(counts, ['float32'], { op: OP, arg: 'counts' });
    let prior: tf.Tensor = tf.div(counts, tf.sum(counts));
    if (sigma > 0) {
      const kernel = tf.exp(tf.div(binDistances(binCentres()), -2 * sigma * sigma)); // [Q, Q], symmetric
      const smoothed = tf.matMul(kernel, tf.reshape(prior, [-1, 1])); // [Q, 1]
      prior = tf.div(tf.reshape(smoothed, [-1]), tf.sum(smoothed));
    }
    const weights = tf.reciprocal(tf.add(tf.mul(prior, 1 - mix), mix / AB_BIN_COUNT));
    return tf.div(weights, tf.sum(tf.mul(prior, weights))) as tf.Tensor1D;
  },
);
