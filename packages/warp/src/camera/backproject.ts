import { defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat, checkMap } from '../internal/checks';
import { applyMatrix } from '../internal/matrix';
import { pixelGrid } from '../internal/sample';

const OP = 'backproject';

/**
 * Lifts every pixel to a 3-D point in its camera's frame: `X(p) = D(p) · K^-1 · [x, y, 1]^T`, pixel
 * centres at integers (x right, y down), camera looking down +z.
 *
 * @param depth - float32 `[B, H, W, 1]`, z-depth in scene units (not the ray length)
 * @param Kinv - float32 `[B, 3, 3]`, the inverse intrinsics ({@link invertIntrinsics})
 * @returns float32 `[B, H, W, 3]` points (X, Y, Z) with `Z = depth` when `Kinv`'s last row is `[0, 0, 1]`
 * @throws ShapeError for ranks (a rank-3 depth asks for a batch dimension) and batch mismatches;
 *   DTypeError for non-float32 tensors
 * @example
 * ```ts
 * const points = backproject(depth, invertIntrinsics(K)); // [B, H, W, 3]
 * ```
 * @see Zhou et al. 2017, SfMLearner, eq. 2
 */
export const backproject = defineOp(OP, (depth: tf.Tensor4D, Kinv: tf.Tensor3D): tf.Tensor4D => {
  const dims = shapeBindings();
  checkMap(depth, ['B', 'H', 'W', 1], OP, 'depth', dims);
  checkFloat(Kinv, ['B', 3, 3], OP, 'Kinv', dims);
  return backprojectUnchecked(depth, Kinv);
});

/** {@link backproject} without checks, for the warps. */
export function backprojectUnchecked(depth: tf.Tensor4D, Kinv: tf.Tensor3D): tf.Tensor4D {
  const [batch, height, width] = depth.shape;
  const pixels = tf.concat([pixelGrid(height, width), tf.ones([1, height, width, 1])], 3); // [1, H, W, 3]
  const rays = applyMatrix(Kinv, tf.tile(pixels, [batch, 1, 1, 1])); // [B, H, W, 3]
  return tf.mul(rays, depth) as tf.Tensor4D;
}
