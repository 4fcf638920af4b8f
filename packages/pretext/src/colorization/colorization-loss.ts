import { checkDType, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction, reduce } from '../internal/reduce';

/** Options of {@link colorizationLoss}. */
export interface ColorizationLossOptions {
  /** `[Q]` class-rebalancing weights ({@link rebalancingWeights}); none means every pixel weighs 1. */
  readonly weights?: tf.Tensor;
  /** `[B]` per-image weights, e.g. `colorful` from {@link colorizationTask} (0 drops near-grey images). */
  readonly sampleWeights?: tf.Tensor;
  /** `'mean'` (default) or `'sum'` over pixels, or `'none'` for the `[B, H, W, 1]` per-pixel losses. */
  readonly reduction?: Reduction;
}

const OP = 'colorizationLoss';

/**
 * The colorization loss: multinomial cross-entropy between the soft-encoded target `Z` and the
 * predicted distribution `softmax(logits)` over the ab bins, per pixel, weighted by the rebalancing
 * weight of the target's most likely bin: `l_hw = -v(Z_hw) sum_q Z_hwq log softmax(logits_hw)_q`,
 * `v(Z_hw) = w[argmax_q Z_hwq]`. The weight is a constant, so it scales the gradient only.
 *
 * @param logits - `[B, H, W, Q]` float32
 * @param targets - `[B, H, W, Q]` float32 soft encodings ({@link softEncodeAb}), rows summing to 1
 * @param options - `weights` (`[Q]`), `sampleWeights` (`[B]`), `reduction` (`'mean'` over pixels)
 * @returns a scalar, or `[B, H, W, 1]` for `'none'`
 * @throws ShapeError when the shapes disagree; DTypeError for non-float32 inputs
 * @example
 * ```ts
 * const loss = colorizationLoss(network.apply(inputs) as tf.Tensor4D, targets, { weights });
 * ```
 * @see Zhang, Isola, Efros 2016, equations 2 and 3, https://arxiv.org/abs/1603.08511
 */
export const colorizationLoss = defineOp(
  OP,
  (logits: tf.Tensor, targets: tf.Tensor, options?: ColorizationLossOptions): tf.Tensor => {
    const {
      weights,
      sampleWeights,
      reduction = 'mean',
    } = checkOptions(options, ['weights', 'sampleWeights', 'reduction'], { op: OP });
    const dims = shapeBindings();
    checkShape(logits, ['B', 'H', 'W', 'Q'], { op: OP, arg: 'logits', bindings: dims });
    checkShape(targets, ['B', 'H', 'W', 'Q'], { op: OP, arg: 'targets', bindings: dims });
    checkDType(logits, ['float32'], { op: OP, arg: 'logits' });
    checkDType(targets, ['float32'], { op: OP, arg: 'targets' });
    if (weights !== undefined) {
      checkShape(weights, ['Q'], { op: OP, arg: 'weights', bindings: dims });
      checkDType(weights, ['float32'], { op: OP, arg: 'weights' });
    }
    if (sampleWeights !== undefined) {
      checkShape(sampleWeights, ['B'], { op: OP, arg: 'sampleWeights', bindings: dims });
      checkDType(sampleWeights, ['float32'], { op: OP, arg: 'sampleWeights' });
    }
    checkReduction(OP, reduction);
    const logProbabilities = tf.logSoftmax(logits);
    let perPixel: tf.Tensor = tf.neg(tf.sum(tf.mul(targets, logProbabilities), 3, true)); // [B, H, W, 1]
    if (weights !== undefined) {
      const pixelWeights = tf.gather(weights, tf.argMax(targets, 3)); // [B, H, W]
      perPixel = tf.mul(perPixel, tf.expandDims(pixelWeights, 3));
    }
    if (sampleWeights !== undefined) perPixel = tf.mul(perPixel, tf.reshape(sampleWeights, [-1, 1, 1, 1]));
    return reduce(perPixel, reduction);
  },
);
