import { defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';
import { composeRigid, rigidParts } from '../internal/matrix';

const OP = 'invertRigid';

/**
 * The inverse of rigid transforms in closed form: `[[R, t], [0, 1]]^-1 = [[R^T, -R^T t], [0, 1]]`.
 * `invertRigid(srcTransTgt)` is `tgtTransSrc`. Assumes `R` is a rotation (orthonormal); the bottom row
 * of `T` is not read.
 *
 * @param T - float32 `[B, 4, 4]`
 * @returns float32 `[B, 4, 4]`
 * @throws ShapeError, DTypeError for `T`
 * @example
 * ```ts
 * const tgtTransSrc = invertRigid(srcTransTgt);
 * ```
 */
export const invertRigid = defineOp(OP, (T: tf.Tensor3D): tf.Tensor3D => {
  checkFloat(T, ['B', 4, 4], OP, 'T');
  return invertRigidUnchecked(T);
});

/** {@link invertRigid} without checks. */
export function invertRigidUnchecked(T: tf.Tensor3D): tf.Tensor3D {
  const { R, t } = rigidParts(T);
  const Rt = tf.transpose(R, [0, 2, 1]);
  return composeRigid(Rt, tf.neg(tf.matMul(Rt, t)));
}
