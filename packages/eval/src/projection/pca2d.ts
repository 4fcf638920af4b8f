import {
  ArgumentError,
  checkBoolean,
  checkInteger,
  checkKey,
  createKey,
  defineOp,
  type Key,
  normalValues,
  shapeBindings,
  splitKey,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFeatures } from '../internal/validate';

/** Options of {@link pca2d}. */
export interface Pca2dOptions {
  /** Subtract the column means before projecting (PCA proper); false projects raw features. Default true. */
  readonly center?: boolean;
  /** Power-iteration steps per component, a positive integer. Default 100. */
  readonly iterations?: number;
  /** Draws the starting vectors of the power iteration. Default `createKey(0)`. */
  readonly key?: Key;
}

/** @internal The two leading unit eigenvectors `[D, 2]` and eigenvalues `[2]` of the feature covariance. */
export interface PrincipalAxes {
  readonly components: tf.Tensor2D;
  readonly variances: tf.Tensor1D;
}

/** `v / max(||v||, 1e-30)` for a column `[D, 1]`. */
function unit(v: tf.Tensor2D): tf.Tensor2D {
  return tf.div(v, tf.maximum(tf.norm(v), 1e-30));
}

/** `v - Σ_u (uᵀ v) u` over the already-found unit columns `found`. */
function orthogonalize(v: tf.Tensor2D, found: readonly tf.Tensor2D[]): tf.Tensor2D {
  return found.reduce((acc, u) => tf.sub(acc, tf.mul(u, tf.sum(tf.mul(u, acc)))), v);
}

/** Flips `v` so that its entry of largest magnitude is positive, making the sign deterministic. */
function fixSign(v: tf.Tensor2D): tf.Tensor2D {
  const largest = tf.gather(tf.reshape(v, [-1]), tf.argMax(tf.abs(tf.reshape(v, [-1]))));
  return tf.mul(v, tf.where(tf.less(largest, 0), tf.scalar(-1), tf.scalar(1)));
}

/**
 * @internal Power iteration with deflation on `C = X̃ᵀ X̃ / (N - 1)`: `v ← C v / ||C v||` `iterations`
 * times, `λ = vᵀ C v`, then `C ← C - λ v vᵀ` for the next component, which is also re-orthogonalised
 * against the first at every step (Gram-Schmidt) so rounding cannot leak it back in.
 */
export function principalAxes(
  features: tf.Tensor2D,
  center: boolean,
  iterations: number,
  key: Key,
): PrincipalAxes {
  return tf.tidy(() => {
    const [n, d] = features.shape;
    const x = center ? tf.sub(features, tf.mean(features, 0)) : features;
    let covariance = tf.div(tf.matMul(x, x, true, false), Math.max(n - 1, 1)) as tf.Tensor2D; // [D, D]
    const found: tf.Tensor2D[] = [];
    const variances: tf.Scalar[] = [];
    for (const [index, start] of splitKey(key, 2).entries()) {
      let v = unit(tf.tensor2d(normalValues(start, d), [d, 1]));
      for (let step = 0; step < iterations; step++) {
        v = tf.tidy(() => unit(orthogonalize(tf.matMul(covariance, v), found)));
      }
      v = fixSign(v);
      const lambda = tf.sum(tf.mul(v, tf.matMul(covariance, v))) as tf.Scalar;
      found.push(v);
      variances.push(lambda);
      if (index === 0) covariance = tf.sub(covariance, tf.mul(lambda, tf.matMul(v, v, false, true)));
    }
    return { components: tf.concat(found, 1) as tf.Tensor2D, variances: tf.stack(variances) as tf.Tensor1D };
  });
}

/**
 * Projects features on their two leading principal components, for a 2-D scatter plot:
 * `P = X̃ [v₁ v₂]` with `X̃ = X - mean(X)` (when `center`) and `v₁`, `v₂` the unit eigenvectors of
 * `C = X̃ᵀ X̃ / (N - 1)` with the two largest eigenvalues `λ₁ ≥ λ₂` (the variances of `P`'s columns).
 * tfjs has no eigensolver, so they come from power iteration with deflation (`C ← C - λ₁ v₁ v₁ᵀ`),
 * in tensor ops; each vector's sign is fixed so its largest-magnitude entry is positive. Power
 * iteration converges like `(λ₂/λ₁)^iterations` (and `(λ₃/λ₂)^iterations`): raise `iterations` when
 * eigenvalues are close.
 *
 * @param features - `[N, D]` float32, N ≥ 2, D ≥ 2
 * @param options - `{ center = true, iterations = 100, key = createKey(0) }`
 * @returns `[N, 2]` coordinates, owned by the caller; column 0 has the larger variance
 * @throws ShapeError when `features` is not rank 2; DTypeError when not float32; ArgumentError when
 *   N < 2, D < 2, or an option is out of range
 * @example
 * ```ts
 * const xy = pca2d(features); // [N, 2]
 * const points = await xy.array();
 * xy.dispose();
 * ```
 * @see Pearson, "On lines and planes of closest fit to systems of points in space", 1901
 * @see Golub and Van Loan, "Matrix Computations", §7.3 (power iteration, deflation)
 */
export const pca2d = defineOp('pca2d', (features: tf.Tensor2D, options: Pca2dOptions = {}): tf.Tensor2D => {
  const op = 'pca2d';
  const { center = true, iterations = 100, key = createKey(0) } = options;
  const dims = shapeBindings();
  checkFeatures(features, ['N', 'D'], op, 'features', dims);
  const n = dims.get('N')!;
  const d = dims.get('D')!;
  if (n < 2 || d < 2) {
    throw new ArgumentError({
      op,
      argument: 'features',
      expected: '[N, D] with N >= 2 and D >= 2',
      actual: `[${n},${d}]`,
    });
  }
  checkBoolean(center, { op, arg: 'center' });
  checkInteger(iterations, { op, arg: 'iterations', min: 1 });
  checkKey(key, op);
  const { components } = principalAxes(features, center, iterations, key);
  const x = center ? tf.sub(features, tf.mean(features, 0)) : features;
  return tf.matMul(x, components);
});
