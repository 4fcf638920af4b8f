import { checkBoolean, checkOneOf, checkOptions, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';
import { composeRigid } from '../internal/matrix';
import { axisAngleUnchecked } from './axis-angle-to-matrix';
import { eulerUnchecked } from './euler-to-matrix';

/** Options of {@link poseVecToMatrix}. */
export interface PoseVecToMatrixOptions {
  /** How `[rx, ry, rz]` is read: `'axis-angle'` (default, {@link axisAngleToMatrix}) or `'euler'` ({@link eulerToMatrix}). */
  readonly rotation?: 'axis-angle' | 'euler';
  /**
   * Return the inverse `[[R^T, -R^T t], [0, 1]]` of the transform the vector describes (monodepth2's
   * `transformation_from_parameters(..., invert=True)`, used for the frame before the target). Default false.
   */
  readonly invert?: boolean;
}

const OP = 'poseVecToMatrix';

/**
 * 4x4 rigid transforms from 6-DoF vectors `[rx, ry, rz, tx, ty, tz]`: `T = [[R(r), t], [0, 0, 0, 1]]`,
 * or its inverse `[[R^T, -R^T t], [0, 0, 0, 1]]` with `invert` (as monodepth2: transpose the rotation,
 * negate the translation, and apply the translation first). Pose networks' outputs are usually scaled
 * down first (monodepth2: 0.01).
 *
 * @param vec - float32 `[B, 6]`, rotation (radians) then translation (scene units)
 * @param options.rotation - `'axis-angle'` (default) or `'euler'` (SfMLearner's `Rx Ry Rz`)
 * @param options.invert - default false
 * @returns float32 `[B, 4, 4]`, e.g. `srcTransTgt`
 * @throws ShapeError, DTypeError for `vec`; ArgumentError for the options
 * @example
 * ```ts
 * const srcTransTgt = poseVecToMatrix(tf.mul(poseNet.predict(pair), 0.01));
 * ```
 * @see Godard et al. 2019, Monodepth2 (`transformation_from_parameters`)
 */
export const poseVecToMatrix = defineOp(
  OP,
  (vec: tf.Tensor2D, options?: PoseVecToMatrixOptions): tf.Tensor3D => {
    checkFloat(vec, ['B', 6], OP, 'vec');
    const { rotation = 'axis-angle', invert = false } = checkOptions(options, ['rotation', 'invert'], {
      op: OP,
    });
    checkOneOf(rotation, ['axis-angle', 'euler'], { op: OP, arg: 'rotation' });
    checkBoolean(invert, { op: OP, arg: 'invert' });
    return poseVecUnchecked(vec, rotation, invert);
  },
);

/** {@link poseVecToMatrix} without checks. */
export function poseVecUnchecked(
  vec: tf.Tensor2D,
  rotation: 'axis-angle' | 'euler',
  invert: boolean,
): tf.Tensor3D {
  const [r, t] = tf.split(vec, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  const R = rotation === 'euler' ? eulerUnchecked(r) : axisAngleUnchecked(r);
  const t3 = tf.expandDims(t, 2); // [B, 3, 1]
  if (!invert) return composeRigid(R, t3);
  const Rt = tf.transpose(R, [0, 2, 1]);
  return composeRigid(Rt, tf.neg(tf.matMul(Rt, t3)));
}
