import { checkDType, checkImages, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction, reduce } from '../internal/reduce';

/** Options of {@link inpaintingLoss}. */
export interface InpaintingLossOptions {
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-sample losses. */
  readonly reduction?: Reduction;
}

const OP = 'inpaintingLoss';

/**
 * The context encoder's masked L2 reconstruction loss: per sample,
 * `sum_{y,x,c} w_yx (prediction - target)^2 / (C * #{w_yx > 0})`, the weighted mean over the predicted
 * region (the hole, weight 1, and its overlap band, weight 10, from {@link inpaintingTask}); pixels
 * with weight 0 do not count. (The paper adds an adversarial term, weight 0.001 against 0.999 for
 * this one: {@link adversarialLosses} and {@link contextDiscriminator}.)
 *
 * @param prediction - `[B, H, W, C]` float32 reconstruction
 * @param target - `[B, H, W, C]` float32 clean images
 * @param weights - `[B, H, W, 1]` float32 per-pixel weights, `>= 0`
 * @param options - `reduction` (`'mean'`)
 * @returns a scalar, or `[B]` for `'none'`
 * @throws ShapeError when the shapes disagree; DTypeError for non-float32 inputs
 * @example
 * ```ts
 * const { inputs, targets, weights } = inpaintingTask(createKey(0), images);
 * const loss = inpaintingLoss(generator.apply(inputs) as tf.Tensor4D, targets, weights);
 * ```
 * @see Pathak et al. 2016, https://arxiv.org/abs/1604.07379 (train.lua: overlapPred 4, overlapL2Weight 10)
 */
export const inpaintingLoss = defineOp(
  OP,
  (
    prediction: tf.Tensor,
    target: tf.Tensor,
    weights: tf.Tensor,
    options?: InpaintingLossOptions,
  ): tf.Tensor => {
    const { reduction = 'mean' } = checkOptions(options, ['reduction'], { op: OP });
    const dims = shapeBindings();
    checkImages(prediction, { op: OP, arg: 'prediction', bindings: dims, channels: [1, 2, 3, 4] });
    checkImages(target, { op: OP, arg: 'target', bindings: dims, channels: [1, 2, 3, 4] });
    checkShape(weights, ['B', 'H', 'W', 1], { op: OP, arg: 'weights', bindings: dims });
    checkDType(weights, ['float32'], { op: OP, arg: 'weights' });
    checkReduction(OP, reduction);
    const C = dims.get('C')!;
    const weighted = tf.sum(tf.mul(weights, tf.squaredDifference(prediction, target)), [1, 2, 3]); // [B]
    const count = tf.mul(tf.sum(tf.cast(tf.greater(weights, 0), 'float32'), [1, 2, 3]), C); // [B]
    return reduce(tf.div(weighted, tf.maximum(count, 1)), reduction);
  },
);
