import { defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFeatures } from '../internal/validate';

/** Standardised train and test features, both owned by the caller. */
export type StandardizedFeatures = {
  /** `[N, D]` train features with zero mean and unit variance per column. */
  readonly train: tf.Tensor2D;
  /** `[M, D]` test features shifted and scaled with the TRAIN statistics. */
  readonly test: tf.Tensor2D;
};

/** @internal Per-column mean and standard deviation of `x` `[N, D]`, a zero deviation replaced by 1. */
export function columnStatistics(x: tf.Tensor2D): { mean: tf.Tensor1D; std: tf.Tensor1D } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 0);
    const std = tf.sqrt(variance);
    const safe = tf.where(tf.greater(std, 1e-12), std, tf.onesLike(std));
    return { mean: mean as tf.Tensor1D, std: safe as tf.Tensor1D };
  });
}

/**
 * Standardises features with the statistics of the training set only (no test information leaks in):
 * `x' = (x - μ_train) / σ_train`, with `μ`, `σ` the per-column mean and population standard deviation
 * of `train`; a constant column (σ = 0) is only centred (σ taken as 1), as scikit-learn's `StandardScaler` does.
 *
 * @param train - `[N, D]` float32 training features
 * @param test - `[M, D]` float32 test features (same D)
 * @returns `{ train [N, D], test [M, D] }`, new tensors owned by the caller
 * @throws ShapeError when a tensor is not rank 2 or the D sizes differ; DTypeError when not float32
 * @example
 * ```ts
 * const { train, test } = standardize(tf.tensor2d([[0, 1], [2, 3]]), tf.tensor2d([[1, 5]]));
 * // train [[-1, -1], [1, 1]], test [[0, 3]]
 * ```
 * @see Kolesnikov, Zhai and Beyer, "Revisiting Self-Supervised Visual Representation Learning", CVPR 2019
 */
export const standardize = defineOp(
  'standardize',
  (train: tf.Tensor2D, test: tf.Tensor2D): StandardizedFeatures => {
    const dims = shapeBindings();
    checkFeatures(train, ['N', 'D'], 'standardize', 'train', dims);
    checkFeatures(test, ['M', 'D'], 'standardize', 'test', dims);
    const { mean, std } = columnStatistics(train);
    return {
      train: tf.div(tf.sub(train, mean), std) as tf.Tensor2D,
      test: tf.div(tf.sub(test, mean), std) as tf.Tensor2D,
    };
  },
);
