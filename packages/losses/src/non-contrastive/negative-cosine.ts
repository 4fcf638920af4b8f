import { checkOptions, defineOp, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { negativeCosineRows } from '../internal/cosine-rows';
import { checkReduction, reduce } from '../internal/reduce';

/** Options of {@link negativeCosine}, {@link byolLoss} and {@link simsiamLoss}. */
export interface CosineLossOptions<R extends Reduction = Reduction> {
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-sample losses. */
  readonly reduction?: R;
}

const OP = 'negativeCosine';

const negativeCosineOp = defineOp(
  OP,
  (p: tf.Tensor, z: tf.Tensor, options: CosineLossOptions | undefined) => {
    checkOptions(options, ['reduction'], { op: OP });
    const { reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkEmbeddings(p, { op: OP, arg: 'p', bindings: dims });
    checkEmbeddings(z, { op: OP, arg: 'z', bindings: dims });
    checkReduction(OP, reduction);
    return reduce(negativeCosineRows(p, z), reduction);
  },
);

/**
 * SimSiam's negative cosine similarity with a stop-gradient on the target:
 * `D(p, z) = -mean_b cos(p_b, stopGradient(z_b))`, in `[-1, 1]`, `-1` when aligned.
 *
 * Rows are normalised with a norm floor (`x / max(||x||, 1e-8)`), so a zero row scores 0, not NaN.
 *
 * @param p - `[B, D]` float32 predictor outputs (receive the gradient)
 * @param z - `[B, D]` float32 targets; receive exactly zero gradient
 * @param options - `reduction` (default 'mean')
 * @returns a `tf.Scalar`, or the `[B]` per-sample values for `'none'`
 * @throws ShapeError when `p` or `z` is not `[B, D]` or their shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `reduction` is unknown
 * @example
 * ```ts
 * const loss = negativeCosine(predictor(z1), z2); // tf.Scalar in [-1, 1]
 * ```
 * @see Chen, He, "Exploring Simple Siamese Representation Learning" (SimSiam), CVPR 2021, https://arxiv.org/abs/2011.10566
 */
export function negativeCosine<R extends Reduction = 'mean'>(
  p: tf.Tensor,
  z: tf.Tensor,
  options?: CosineLossOptions<R>,
): Reduced<R> {
  return negativeCosineOp(p, z, options) as Reduced<R>;
}
