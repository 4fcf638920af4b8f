import { checkNumber, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkEmbeddings } from '../internal/checks';

/** Options of {@link vicregTerms}. */
export interface VICRegTermOptions {
  /** Added to the variance before the square root, `> 0`. Default `1e-4`. */
  readonly eps?: number;
  /** `γ`, the standard deviation each dimension is pushed up to, `> 0`. Default `1`. */
  readonly targetStd?: number;
}

/** Options of {@link vicregLoss}: the three term weights and {@link VICRegTermOptions}. */
export interface VICRegOptions extends VICRegTermOptions {
  /** `λ`, weight of the invariance (MSE) term, `>= 0`. Default `25`. */
  readonly invariance?: number;
  /** `μ`, weight of the variance (hinge) term, `>= 0`. Default `25`. */
  readonly variance?: number;
  /** `ν`, weight of the covariance term, `>= 0`. Default `1`. */
  readonly covariance?: number;
}

/** The three unweighted VICReg terms, each a `tf.Scalar` the caller owns. */
export interface VICRegTerms {
  /** `mean((z1 - z2)²)` over all `B * D` entries. */
  readonly invariance: tf.Scalar;
  /** `½ (v(z1) + v(z2))`, `v(z) = mean_j relu(γ - sqrt(Var(z_j) + eps))`. */
  readonly variance: tf.Scalar;
  /** `c(z1) + c(z2)`, `c(z) = Σ_{i≠j} Cov(z)_ij² / D`. */
  readonly covariance: tf.Scalar;
}

/** `v(z)` and `c(z)` of one branch; the covariance with the unbiased `1/(B - 1)`, as `torch.var`/`torch.cov`. */
function branchTerms(z: tf.Tensor2D, eps: number, targetStd: number): [tf.Scalar, tf.Scalar] {
  const [batch, dim] = z.shape;
  const centred = tf.sub(z, tf.mean(z, 0, true)); // [B, D]
  const varianceUnbiased = tf.div(tf.sum(tf.square(centred), 0), batch - 1); // [D]
  const std = tf.sqrt(tf.add(varianceUnbiased, eps)); // [D]
  const hinge = tf.mean(tf.relu(tf.sub(targetStd, std))) as tf.Scalar;
  const covarianceMatrix = tf.div(tf.matMul(centred, centred, true, false), batch - 1); // [D, D]
  const offDiagonal = tf.mul(tf.square(covarianceMatrix), tf.sub(1, tf.eye(dim)));
  const covariance = tf.div(tf.sum(offDiagonal), dim) as tf.Scalar;
  return [hinge, covariance];
}

function checkVICRegInputs(op: string, z1: tf.Tensor, z2: tf.Tensor, options: VICRegOptions | undefined) {
  checkOptions(options, ['invariance', 'variance', 'covariance', 'eps', 'targetStd'], { op });
  const { eps = 1e-4, targetStd = 1 } = options ?? {};
  const dims = shapeBindings();
  checkEmbeddings(z1, { op, arg: 'z1', bindings: dims, minRows: 2 });
  checkEmbeddings(z2, { op, arg: 'z2', bindings: dims, minRows: 2 });
  checkNumber(eps, { op, arg: 'eps', min: 0, exclusiveMin: true });
  checkNumber(targetStd, { op, arg: 'targetStd', min: 0, exclusiveMin: true });
  return { eps, targetStd };
}

function computeTerms(z1: tf.Tensor2D, z2: tf.Tensor2D, eps: number, targetStd: number): VICRegTerms {
  const invariance = tf.mean(tf.squaredDifference(z1, z2)) as tf.Scalar;
  const [hinge1, covariance1] = branchTerms(z1, eps, targetStd);
  const [hinge2, covariance2] = branchTerms(z2, eps, targetStd);
  return {
    invariance,
    variance: tf.mul(0.5, tf.add(hinge1, hinge2)) as tf.Scalar,
    covariance: tf.add(covariance1, covariance2) as tf.Scalar,
  };
}

const vicregTermsOp = defineOp(
  'vicregTerms',
  (z1: tf.Tensor, z2: tf.Tensor, options: VICRegTermOptions | undefined) => {
    const { eps, targetStd } = checkVICRegInputs('vicregTerms', z1, z2, options);
    const terms = computeTerms(z1 as tf.Tensor2D, z2 as tf.Tensor2D, eps, targetStd);
    return [terms.invariance, terms.variance, terms.covariance];
  },
);

const vicregLossOp = defineOp(
  'vicregLoss',
  (z1: tf.Tensor, z2: tf.Tensor, options: VICRegOptions | undefined) => {
    const op = 'vicregLoss';
    const { eps, targetStd } = checkVICRegInputs(op, z1, z2, options);
    const { invariance = 25, variance = 25, covariance = 1 } = options ?? {};
    checkNumber(invariance, { op, arg: 'invariance', min: 0 });
    checkNumber(variance, { op, arg: 'variance', min: 0 });
    checkNumber(covariance, { op, arg: 'covariance', min: 0 });
    const terms = computeTerms(z1 as tf.Tensor2D, z2 as tf.Tensor2D, eps, targetStd);
    return tf.addN([
      tf.mul(invariance, terms.invariance),
      tf.mul(variance, terms.variance),
      tf.mul(covariance, terms.covariance),
    ]) as tf.Scalar;
  },
);

/**
 * The three VICReg terms, unweighted, for logging or custom weighting:
 * `vicregLoss = invariance·λ + variance·μ + covariance·ν` exactly.
 *
 * - invariance `s = mean((z1 - z2)²)` (PyTorch `F.mse_loss`, over all `B·D` entries);
 * - variance `½ (v(z1) + v(z2))`, `v(z) = (1/D) Σ_j relu(γ - sqrt(Var(z_j) + eps))`;
 * - covariance `c(z1) + c(z2)`, `c(z) = (1/D) Σ_{i≠j} C(z)_ij²`, `C(z) = (z - z̄)ᵀ(z - z̄) / (B - 1)`.
 *
 * Variances and covariances are unbiased (`B - 1`). The variance term averages the two branches, as the
 * authors' code (facebookresearch/vicreg `main_vicreg.py`) and lightly do; the paper's formula sums them
 * (twice this term), and solo-learn follows the paper. The published weights 25/25/1 were tuned with the code.
 *
 * @param z1 - `[B, D]` float32 expander outputs of view 1, `B >= 2`
 * @param z2 - `[B, D]` float32 expander outputs of view 2
 * @param options - `eps` (default 1e-4), `targetStd` γ (default 1)
 * @returns `{ invariance, variance, covariance }`, three `tf.Scalar`s the caller owns
 * @throws ShapeError when an input is not `[B, D]`, `B < 2`, or the shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `eps <= 0` or `targetStd <= 0`
 * @example
 * ```ts
 * const { invariance, variance, covariance } = vicregTerms(z1, z2);
 * console.log(await invariance.data(), await variance.data(), await covariance.data());
 * tf.dispose([invariance, variance, covariance]);
 * ```
 * @see Bardes, Ponce, LeCun, "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning", ICLR 2022, https://arxiv.org/abs/2105.04906
 */
export function vicregTerms(z1: tf.Tensor, z2: tf.Tensor, options?: VICRegTermOptions): VICRegTerms {
  const [invariance, variance, covariance] = vicregTermsOp(z1, z2, options) as [
    tf.Scalar,
    tf.Scalar,
    tf.Scalar,
  ];
  return { invariance, variance, covariance };
}

/**
 * VICReg: `L = λ s(z1, z2) + μ ½ [v(z1) + v(z2)] + ν [c(z1) + c(z2)]`, with the invariance (MSE),
 * variance (hinge on the per-dimension std) and covariance (off-diagonal) terms of {@link vicregTerms}.
 *
 * Defaults λ = 25, μ = 25, ν = 1, eps = 1e-4, γ = 1 (paper and reference code). The loss is a batch
 * statistic, so there is no reduction option.
 *
 * @param z1 - `[B, D]` float32 expander outputs of view 1, `B >= 2`
 * @param z2 - `[B, D]` float32 expander outputs of view 2, paired row by row with `z1`
 * @param options - weights `invariance` (25), `variance` (25), `covariance` (1); `eps` (1e-4), `targetStd` (1)
 * @returns a `tf.Scalar`
 * @throws ShapeError when an input is not `[B, D]`, `B < 2`, or the shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when a weight is negative, or `eps`/`targetStd` is not positive
 * @example
 * ```ts
 * const loss = vicregLoss(expander(view1), expander(view2)); // tf.Scalar
 * ```
 * @see Bardes, Ponce, LeCun, "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning", ICLR 2022, https://arxiv.org/abs/2105.04906
 */
export function vicregLoss(z1: tf.Tensor, z2: tf.Tensor, options?: VICRegOptions): tf.Scalar {
  return vicregLossOp(z1, z2, options);
}
