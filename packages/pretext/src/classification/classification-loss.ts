import { checkDType, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, type Reduction, reduce } from '../internal/reduce';

/** Options of {@link classificationLoss}. */
export interface ClassificationLossOptions {
  /** `'mean'` (default) or `'sum'` over the `N` samples, or `'none'` for the `[N]` per-sample losses. */
  readonly reduction?: Reduction;
}

const OP = 'classificationLoss';

/**
 * Softmax cross-entropy against integer labels, the loss of every classification pretext task
 * (rotation: 4 classes, relative location: 8, jigsaw: one per permutation):
 * `l_n = logsumexp_k(z_nk) - z_{n, y_n}`.
 *
 * @param logits - `[N, K]` float32 unnormalised class scores
 * @param labels - `[N]` int32 labels in `0 .. K-1` (a task builder's `targets`)
 * @param options - `reduction` (default `'mean'`)
 * @returns a scalar, or `[N]` for `'none'`
 * @throws ShapeError when `logits` is not `[N, K]` or `labels` not `[N]`; DTypeError for int32 logits
 *   or float labels; ArgumentError for an unknown reduction
 * @example
 * ```ts
 * const { inputs, targets } = rotationTask(createKey(0), images);
 * const loss = classificationLoss(model.apply(inputs) as tf.Tensor2D, targets);
 * ```
 * @see Gidaris et al. 2018 (RotNet), Doersch et al. 2015, Noroozi & Favaro 2016
 */
export const classificationLoss = defineOp(
  OP,
  (logits: tf.Tensor, labels: tf.Tensor, options?: ClassificationLossOptions): tf.Tensor => {
    checkOptions(options, ['reduction'], { op: OP });
    const { reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkShape(logits, ['N', 'K'], { op: OP, arg: 'logits', bindings: dims });
    checkShape(labels, ['N'], { op: OP, arg: 'labels', bindings: dims });
    checkDType(logits, ['float32'], { op: OP, arg: 'logits' });
    checkDType(labels, ['int32'], { op: OP, arg: 'labels' });
    checkReduction(OP, reduction);
    const classes = dims.get('K')!;
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels as tf.Tensor1D, classes)), 1); // [N]
    return reduce(tf.sub(tf.logSumExp(logits, 1), picked), reduction);
  },
);
