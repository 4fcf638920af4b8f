import { checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { cosineRows } from '../internal/cosine-rows';
import { checkReduction, reduce } from '../internal/reduce';
import { stopGradient } from '../internal/stop-gradient';
import type { CosineLossOptions } from './negative-cosine';

const OP = 'byolLoss';

const byolLossOp = defineOp(OP, (p: tf.Tensor, z: tf.Tensor, options: CosineLossOptions | undefined) => {
  checkOptions(options, ['reduction'], { op: OP });
  const { reduction = 'mean' } = options ?? {};
  const dims = shapeBindings();
  checkEmbeddings(p, { op: OP, arg: 'p', bindings: dims });
  checkEmbeddings(z, { op: OP, arg: 'z', bindings: dims });
  checkReduction(OP, reduction);
  // 2 - 2 cos equals the squared distance of the unit vectors, ||p/|p| - z/|z| ||^2.
  const perSample = tf.sub(2, tf.mul(2, cosineRows(p, stopGradient(z)))) as tf.Tensor1D; // [B]
  return reduce(perSample, reduction);
});

/**
 * BYOL's regression loss: the squared distance between the normalised online prediction and the
 * normalised target projection, `L = mean_b (2 - 2 cos(p_b, stopGradient(z_b)))`, in `[0, 4]`.
 *
 * The target `z` comes from the EMA target network and receives no gradient. BYOL symmetrises by
 * also feeding the views swapped and adding the two losses. Zero rows are normalised with a norm
 * floor (`x / max(||x||, 1e-8)`), so they give `2`, not NaN.
 *
 * @param p - `[B, D]` float32 online predictions (receive the gradient)
 * @param z - `[B, D]` float32 target projections; receive exactly zero gradient
 * @param options - `reduction` (default 'mean')
 * @returns a `tf.Scalar`, or the `[B]` per-sample values for `'none'`
 * @throws ShapeError when `p` or `z` is not `[B, D]` or their shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `reduction` is unknown
 * @example
 * ```ts
 * const loss = tf.add(byolLoss(p1, t2), byolLoss(p2, t1)); // symmetrised, as in the paper
 * ```
 * @see Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning" (BYOL), NeurIPS 2020, https://arxiv.org/abs/2006.07733
 */
export function byolLoss<R extends Reduction = 'mean'>(
  p: tf.Tensor,
  z: tf.Tensor,
  options?: CosineLossOptions<R>,
): Reduced<R> {
  return byolLossOp(p, z, options) as Reduced<R>;
}
