import { checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { negativeCosineRows } from '../internal/cosine-rows';
import { checkReduction, reduce } from '../internal/reduce';
import type { CosineLossOptions } from './negative-cosine';

const OP = 'simsiamLoss';

const simsiamLossOp = defineOp(
  OP,
  (p1: tf.Tensor, z2: tf.Tensor, p2: tf.Tensor, z1: tf.Tensor, options: CosineLossOptions | undefined) => {
    checkOptions(options, ['reduction'], { op: OP });
    const { reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkEmbeddings(p1, { op: OP, arg: 'p1', bindings: dims });
    checkEmbeddings(z2, { op: OP, arg: 'z2', bindings: dims });
    checkEmbeddings(p2, { op: OP, arg: 'p2', bindings: dims });
    checkEmbeddings(z1, { op: OP, arg: 'z1', bindings: dims });
    checkReduction(OP, reduction);
    const perSample = tf.mul(
      0.5,
      tf.add(negativeCosineRows(p1, z2), negativeCosineRows(p2, z1)),
    ) as tf.Tensor1D; // [B]
    return reduce(perSample, reduction);
  },
);

/**
 * SimSiam's symmetrised loss: `L = 1/2 D(p1, z2) + 1/2 D(p2, z1)`, with
 * `D(p, z) = -cos(p, stopGradient(z))` averaged over the batch ({@link negativeCosine}); in `[-1, 1]`.
 *
 * @param p1 - `[B, D]` float32 predictor output of view 1
 * @param z2 - `[B, D]` float32 projection of view 2 (target of `p1`; zero gradient)
 * @param p2 - `[B, D]` float32 predictor output of view 2
 * @param z1 - `[B, D]` float32 projection of view 1 (target of `p2`; zero gradient)
 * @param options - `reduction` (default 'mean'); `'none'` gives the `[B]` per-pair values `1/2 (D_b(p1, z2) + D_b(p2, z1))`
 * @returns a `tf.Scalar`, or `[B]` for `'none'`
 * @throws ShapeError when an input is not `[B, D]` or the shapes differ (the message names both arguments)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `reduction` is unknown
 * @example
 * ```ts
 * const loss = simsiamLoss(predictor(z1), z2, predictor(z2), z1); // tf.Scalar, -1 at best
 * ```
 * @see Chen, He, "Exploring Simple Siamese Representation Learning" (SimSiam), CVPR 2021, https://arxiv.org/abs/2011.10566
 */
export function simsiamLoss<R extends Reduction = 'mean'>(
  p1: tf.Tensor,
  z2: tf.Tensor,
  p2: tf.Tensor,
  z1: tf.Tensor,
  options?: CosineLossOptions<R>,
): Reduced<R> {
  return simsiamLossOp(p1, z2, p2, z1, options) as Reduced<R>;
}
