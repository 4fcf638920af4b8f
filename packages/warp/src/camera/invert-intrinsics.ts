import { defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';
import { entries3, fromEntries3 } from '../internal/matrix';

const OP = 'invertIntrinsics';

/**
 * The inverse of 3x3 matrices in closed form (tfjs has no matrix inverse): `K^-1 = adj(K) / det(K)`,
 * the adjugate of cofactors over the determinant. Exact for any invertible `K` (skew and a general last
 * row included); for the usual `[[fx, s, cx], [0, fy, cy], [0, 0, 1]]` it is
 * `[[1/fx, -s/(fx fy), (s cy - cx fy)/(fx fy)], [0, 1/fy, -cy/fy], [0, 0, 1]]`. Differentiable.
 * A singular `K` gives non-finite values (no data-dependent check is made).
 *
 * @param K - float32 `[B, 3, 3]`
 * @returns float32 `[B, 3, 3]`, `K^-1`
 * @throws ShapeError, DTypeError for `K`
 * @example
 * ```ts
 * const points = backproject(depth, invertIntrinsics(K));
 * ```
 */
export const invertIntrinsics = defineOp(OP, (K: tf.Tensor3D): tf.Tensor3D => {
  checkFloat(K, ['B', 3, 3], OP, 'K');
  return invertIntrinsicsUnchecked(K);
});

/** {@link invertIntrinsics} without checks. */
export function invertIntrinsicsUnchecked(K: tf.Tensor3D): tf.Tensor3D {
  const [a, b, c, d, e, f, g, h, i] = entries3(K) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const minor = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor, s: tf.Tensor) =>
    tf.sub(tf.mul(p, s), tf.mul(q, r));
  // Cofactors C_ij; the inverse is C^T / det.
  const c00 = minor(e, f, h, i);
  const c01 = tf.neg(minor(d, f, g, i));
  const c02 = minor(d, e, g, h);
  const c10 = tf.neg(minor(b, c, h, i));
  const c11 = minor(a, c, g, i);
  const c12 = tf.neg(minor(a, b, g, h));
  const c20 = minor(b, c, e, f);
  const c21 = tf.neg(minor(a, c, d, f));
  const c22 = minor(a, b, d, e);
  const det = tf.add(tf.add(tf.mul(a, c00), tf.mul(b, c01)), tf.mul(c, c02));
  const adjugate = fromEntries3([c00, c10, c20, c01, c11, c21, c02, c12, c22]);
  return tf.div(adjugate, tf.reshape(det, [-1, 1, 1])) as tf.Tensor3D;
}
