import { defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';
import { fromEntries3 } from '../internal/matrix';
import { untracked } from '../internal/untracked';

const OP = 'axisAngleToMatrix';

/** Below this squared angle the Taylor series is used (its error is below `θ^6 / 5040`). */
const SMALL = 1e-6;

/** Rodrigues on `[B, 3]` axis-angle vectors, no checks. */
export function axisAngleUnchecked(r: tf.Tensor2D): tf.Tensor3D {
  const [rx, ry, rz] = tf.unstack(r, 1) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  const theta2 = tf.sum(tf.square(r), 1); // [B]
  // Comparisons have no registered gradient in tfjs: masks are computed off the tape.
  const small = untracked(() => tf.less(theta2, SMALL));
  // Exact branch on a safe angle, so the unused branch never produces NaN (or a NaN gradient) at 0.
  const theta = tf.sqrt(tf.where(small, tf.onesLike(theta2), theta2));
  const halfSin = tf.sin(tf.div(theta, 2));
  const aExact = tf.div(tf.sin(theta), theta);
  const bExact = tf.div(tf.mul(2, tf.square(halfSin)), tf.square(theta)); // (1 - cos θ) / θ², no cancellation
  const t2 = theta2;
  const t4 = tf.square(theta2);
  const aTaylor = tf.add(tf.sub(1, tf.div(t2, 6)), tf.div(t4, 120));
  const bTaylor = tf.add(tf.sub(0.5, tf.div(t2, 24)), tf.div(t4, 720));
  const A = tf.where(small, aTaylor, aExact);
  const B = tf.where(small, bTaylor, bExact);
  // R = I + A [r]x + B [r]x², with [r]x² = r r^T - θ² I.
  const bb = (p: tf.Tensor, q: tf.Tensor) => tf.mul(B, tf.mul(p, q));
  const diag = (p: tf.Tensor) => tf.add(1, tf.mul(B, tf.sub(tf.square(p), theta2)));
  return fromEntries3([
    diag(rx),
    tf.sub(bb(rx, ry), tf.mul(A, rz)),
    tf.add(bb(rx, rz), tf.mul(A, ry)),
    tf.add(bb(rx, ry), tf.mul(A, rz)),
    diag(ry),
    tf.sub(bb(ry, rz), tf.mul(A, rx)),
    tf.sub(bb(rx, rz), tf.mul(A, ry)),
    tf.add(bb(ry, rz), tf.mul(A, rx)),
    diag(rz),
  ]);
}

/**
 * Rotation matrices from axis-angle vectors (Rodrigues): with `θ = |r|` and `[r]x` the cross-product
 * matrix, `R = I + (sin θ / θ) [r]x + ((1 - cos θ) / θ²) [r]x²`, the rotation by `θ` radians about
 * `r / θ` (right-handed, active: `R v` rotates `v`). Matches monodepth2's `rot_from_axisangle`.
 *
 * Stable at and near zero, including its gradient: for `θ² < 1e-6` the coefficients come from their
 * Taylor series (`1 - θ²/6 + θ⁴/120`, `1/2 - θ²/24 + θ⁴/720`), and the exact branch is evaluated on a
 * safe angle so it cannot leak NaN into the gradient.
 *
 * @param r - float32 `[B, 3]`, (rx, ry, rz), angle in radians times the unit axis
 * @returns float32 `[B, 3, 3]`
 * @throws ShapeError, DTypeError for `r`
 * @example
 * ```ts
 * axisAngleToMatrix(tf.tensor2d([[0, 0, Math.PI / 2]])); // [[0,-1,0],[1,0,0],[0,0,1]]
 * ```
 * @see Godard et al. 2019, Monodepth2
 */
export const axisAngleToMatrix = defineOp(OP, (r: tf.Tensor2D): tf.Tensor3D => {
  checkFloat(r, ['B', 3], OP, 'r');
  return axisAngleUnchecked(r);
});
