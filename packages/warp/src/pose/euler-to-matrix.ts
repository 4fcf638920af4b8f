import { defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';
import { fromEntries3 } from '../internal/matrix';

const OP = 'eulerToMatrix';

/** SfMLearner's Euler convention on `[B, 3]` (rx, ry, rz), no checks. */
export function eulerUnchecked(angles: tf.Tensor2D): tf.Tensor3D {
  const [rx, ry, rz] = tf.unstack(angles, 1) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  const zero = tf.zerosLike(rx);
  const one = tf.onesLike(rx);
  const [cx, sx, cy, sy, cz, sz] = [tf.cos(rx), tf.sin(rx), tf.cos(ry), tf.sin(ry), tf.cos(rz), tf.sin(rz)];
  const Rx = fromEntries3([one, zero, zero, zero, cx, tf.neg(sx), zero, sx, cx]);
  const Ry = fromEntries3([cy, zero, sy, zero, one, zero, tf.neg(sy), zero, cy]);
  const Rz = fromEntries3([cz, tf.neg(sz), zero, sz, cz, zero, zero, zero, one]);
  return tf.matMul(tf.matMul(Rx, Ry), Rz) as tf.Tensor3D;
}

/**
 * Rotation matrices from Euler angles in SfMLearner's convention (`euler2mat`): `R = Rx(rx) Ry(ry) Rz(rz)`,
 * so a vector is rotated about z first, then y, then x (fixed axes); each factor is the right-handed
 * rotation about its axis, e.g. `Rz(a) = [[cos a, -sin a, 0], [sin a, cos a, 0], [0, 0, 1]]`.
 *
 * Note SfMLearner's 6-DoF vectors are `[tx, ty, tz, rx, ry, rz]`, translation first; genoise's are
 * `[rx, ry, rz, tx, ty, tz]` (see {@link poseVecToMatrix}).
 *
 * @param angles - float32 `[B, 3]`, (rx, ry, rz) in radians
 * @returns float32 `[B, 3, 3]`
 * @throws ShapeError, DTypeError for `angles`
 * @example
 * ```ts
 * eulerToMatrix(tf.tensor2d([[0.01, -0.02, 0.005]]));
 * ```
 * @see Zhou et al. 2017, SfMLearner
 */
export const eulerToMatrix = defineOp(OP, (angles: tf.Tensor2D): tf.Tensor3D => {
  checkFloat(angles, ['B', 3], OP, 'angles');
  return eulerUnchecked(angles);
});
