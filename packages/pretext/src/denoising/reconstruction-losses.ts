import { checkDType, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction, reduce } from '../internal/reduce';

/** Options of {@link reconstructionCrossEntropy}. */
export interface ReconstructionCrossEntropyOptions {
  /** `prediction` holds logits (default true, numerically stable) or probabilities in (0, 1). */
  readonly fromLogits?: boolean;
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-sample losses. */
  readonly reduction?: Reduction;
}

/** Options of {@link reconstructionMSE}. */
export interface ReconstructionMSEOptions {
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-sample losses. */
  readonly reduction?: Reduction;
}

const CE = 'reconstructionCrossEntropy';
const MSE = 'reconstructionMSE';
const EPSILON = 1e-7;

function checkPair(op: string, prediction: tf.Tensor, target: tf.Tensor): void {
  const dims = shapeBindings();
  const spec = prediction instanceof tf.Tensor ? prediction.shape.map((_, i) => `d${i}`) : ['B', null];
  if (spec.length < 2) spec.push('d1');
  checkShape(prediction, spec, { op, arg: 'prediction', bindings: dims });
  checkShape(target, spec, { op, arg: 'target', bindings: dims });
  checkDType(prediction, ['float32'], { op, arg: 'prediction' });
  checkDType(target, ['float32'], { op, arg: 'target' });
}

/**
 * Reconstruction cross-entropy for [0, 1] data (the denoising autoencoder's loss), against the *clean*
 * input: per sample, the sum over components of
 * `-[x log z + (1 - x) log(1 - z)]`, `z = sigmoid(prediction)`; computed from logits as
 * `max(s, 0) - s x + log(1 + exp(-|s|))`. With `fromLogits: false`, `z` is clipped to [1e-7, 1 - 1e-7].
 *
 * @param prediction - `[B, ...]` float32 logits (or probabilities)
 * @param target - `[B, ...]` float32 clean values in [0, 1], same shape
 * @param options - `fromLogits` (true), `reduction` (`'mean'` over the batch)
 * @returns a scalar, or `[B]` for `'none'`
 * @throws ShapeError when the shapes differ or are not batched; DTypeError for non-float32 inputs
 * @example
 * ```ts
 * const loss = reconstructionCrossEntropy(decoderLogits, targets); // targets from denoisingTask
 * ```
 * @see Vincent et al. 2008; the Theano SdA tutorial (`T.mean(T.sum(L, axis=1))`)
 */
export const reconstructionCrossEntropy = defineOp(
  CE,
  (prediction: tf.Tensor, target: tf.Tensor, options?: ReconstructionCrossEntropyOptions): tf.Tensor => {
    const { fromLogits = true, reduction = 'mean' } = checkOptions(options, ['fromLogits', 'reduction'], {
      op: CE,
    });
    checkPair(CE, prediction, target);
    checkReduction(CE, reduction);
    const batch = prediction.shape[0]!;
    let perComponent: tf.Tensor;
    if (fromLogits) {
      perComponent = tf.add(
        tf.sub(tf.relu(prediction), tf.mul(prediction, target)),
        tf.log1p(tf.exp(tf.neg(tf.abs(prediction)))),
      );
    } else {
      const z = tf.clipByValue(prediction, EPSILON, 1 - EPSILON);
      perComponent = tf.neg(
        tf.add(tf.mul(target, tf.log(z)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, z)))),
      );
    }
    return reduce(tf.sum(tf.reshape(perComponent, [batch, -1]), 1), reduction);
  },
);

/**
 * Mean squared reconstruction error against the clean input: per sample, the mean over components of
 * `(prediction - target)^2`.
 *
 * @param prediction - `[B, ...]` float32
 * @param target - `[B, ...]` float32, same shape
 * @param options - `reduction` (`'mean'` over the batch)
 * @returns a scalar, or `[B]` for `'none'`
 * @throws ShapeError when the shapes differ or are not batched; DTypeError for non-float32 inputs
 * @example
 * ```ts
 * const loss = reconstructionMSE(decoder.apply(encoder.apply(inputs)) as tf.Tensor, targets);
 * ```
 * @see Vincent et al. 2010 (JMLR): squared error for real-valued inputs
 */
export const reconstructionMSE = defineOp(
  MSE,
  (prediction: tf.Tensor, target: tf.Tensor, options?: ReconstructionMSEOptions): tf.Tensor => {
    const { reduction = 'mean' } = checkOptions(options, ['reduction'], { op: MSE });
    checkPair(MSE, prediction, target);
    checkReduction(MSE, reduction);
    const batch = prediction.shape[0]!;
    return reduce(tf.mean(tf.reshape(tf.squaredDifference(prediction, target), [batch, -1]), 1), reduction);
  },
);
