import { checkNumber, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkEmbeddings } from '../internal/checks';

/** Options of {@link barlowTwinsLoss}. */
export interface BarlowTwinsOptions {
  /** `λ`, the weight of the off-diagonal (redundancy-reduction) term, `>= 0`. Default `5e-3`. */
  readonly lambda?: number;
  /** Added to the per-dimension variance before the square root in the batch normalisation, `> 0`. Default `1e-5` (PyTorch BatchNorm's). */
  readonly eps?: number;
}

const OP = 'barlowTwinsLoss';

/** `(z - mean_b z) / sqrt(var_b z + eps)` per dimension, with the biased (`1/B`) variance, as BatchNorm in training mode. */
function batchStandardize(z: tf.Tensor2D, eps: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(z, 0, true); // [1, D] each, variance biased
  return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, eps)));
}

const barlowTwinsLossOp = defineOp(
  OP,
  (z1: tf.Tensor, z2: tf.Tensor, options: BarlowTwinsOptions | undefined): tf.Scalar => {
    checkOptions(options, ['lambda', 'eps'], { op: OP });
    const { lambda = 5e-3, eps = 1e-5 } = options ?? {};
    const dims = shapeBindings();
    checkEmbeddings(z1, { op: OP, arg: 'z1', bindings: dims, minRows: 2 });
    checkEmbeddings(z2, { op: OP, arg: 'z2', bindings: dims, minRows: 2 });
    checkNumber(lambda, { op: OP, arg: 'lambda', min: 0 });
    checkNumber(eps, { op: OP, arg: 'eps', min: 0, exclusiveMin: true });

    const [batch, dim] = z1.shape as [number, number];
    const n1 = batchStandardize(z1, eps); // [B, D]
    const n2 = batchStandardize(z2, eps); // [B, D]
    const crossCorrelation = tf.div(tf.matMul(n1, n2, true, false), batch); // [D, D]
    const diagonal = tf.div(tf.sum(tf.mul(n1, n2), 0), batch); // [D], C_ii
    const onDiagonal = tf.sum(tf.square(tf.sub(1, diagonal)));
    const offDiagonalMask = tf.sub(1, tf.eye(dim)); // masked, not sum(C^2) - sum(C_ii^2): no cancellation
    const offDiagonal = tf.sum(tf.mul(tf.square(crossCorrelation), offDiagonalMask));
    return tf.add(onDiagonal, tf.mul(lambda, offDiagonal)) as tf.Scalar;
  },
);

/**
 * Barlow Twins' redundancy-reduction loss on the cross-correlation of two batch-normalised views.
 *
 * Each view is standardised per dimension over the batch, `ẑ = (z - mean_b z) / sqrt(var_b z + eps)`
 * (biased variance, as the reference's `BatchNorm1d(affine=False)`), then `C = ẑ1ᵀ ẑ2 / B` (`[D, D]`) and
 * `L = Σ_i (1 - C_ii)² + λ Σ_{i≠j} C_ij²`. The loss is a batch statistic, so there is no reduction
 * option; it is a sum over dimensions (grows with `D`), as in the reference.
 *
 * @param z1 - `[B, D]` float32 projections of view 1, `B >= 2`
 * @param z2 - `[B, D]` float32 projections of view 2, paired row by row with `z1`
 * @param options - `lambda` (default 5e-3), `eps` (default 1e-5)
 * @returns a `tf.Scalar`, `>= 0`; 0 only when `C` is the identity
 * @throws ShapeError when an input is not `[B, D]`, `B < 2`, or the shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `lambda < 0` or `eps <= 0`
 * @example
 * ```ts
 * const loss = barlowTwinsLoss(projector(view1), projector(view2), { lambda: 5e-3 }); // tf.Scalar
 * ```
 * @see Zbontar, Jing, Misra, LeCun, Deny, "Barlow Twins: Self-Supervised Learning via Redundancy Reduction", ICML 2021, https://arxiv.org/abs/2103.03230
 */
export function barlowTwinsLoss(z1: tf.Tensor, z2: tf.Tensor, options?: BarlowTwinsOptions): tf.Scalar {
  return barlowTwinsLossOp(z1, z2, options);
}
