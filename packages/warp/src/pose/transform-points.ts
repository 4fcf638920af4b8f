import { defineOp, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkFloat, checkMap } from '../internal/checks';
import { applyRigid, rigidParts } from '../internal/matrix';

const OP = 'transformPoints';

/**
 * Applies rigid transforms to points: `X' = R X + t` for `T = [[R, t], [0, 0, 0, 1]]`. With
 * `T = srcTransTgt`, points in the target camera's frame come out in the source camera's frame.
 * Only the top three rows of `T` are read.
 *
 * @param T - float32 `[B, 4, 4]`
 * @param points - float32 `[B, H, W, 3]`
 * @returns float32 `[B, H, W, 3]`
 * @throws ShapeError for ranks and batch mismatches; DTypeError for non-float32 tensors
 * @example
 * ```ts
 * const inSource = transformPoints(srcTransTgt, backproject(depth, invertIntrinsics(K)));
 * ```
 */
export const transformPoints = defineOp(OP, (T: tf.Tensor3D, points: tf.Tensor4D): tf.Tensor4D => {
  const dims = shapeBindings();
  checkFloat(T, ['B', 4, 4], OP, 'T', dims);
  checkMap(points, ['B', 'H', 'W', 3], OP, 'points', dims);
  const { R, t } = rigidParts(T);
  return applyRigid(R, t, points);
});
