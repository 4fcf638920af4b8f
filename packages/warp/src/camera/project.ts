import { checkNumber, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat, checkMap } from '../internal/checks';
import { applyMatrix } from '../internal/matrix';
import { untracked } from '../internal/untracked';

/** Options of {@link project}. */
export interface ProjectOptions {
  /** Smallest depth divided by: `z` is clamped to `>= eps` before the division. Default `1e-3`. */
  readonly eps?: number;
}

/** What {@link project} returns. */
export type Projection = {
  /** float32 `[B, H, W, 2]`, pixel coordinates (x, y) where each point lands. */
  readonly coords: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, the point's depth `z` in the camera (unclamped). */
  readonly depth: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 where `z > eps` (in front of the camera), else 0 (NaN included). */
  readonly valid: tf.Tensor4D;
};

const OP = 'project';

/**
 * Projects 3-D points in a camera's frame to its pixels: `[u, v, z]^T = K X`, `p = (u, v) / max(z, eps)`.
 *
 * Points at or behind the camera (`z <= eps`, or `z` NaN) are divided by `eps` instead (so the
 * coordinates stay finite for finite points and the gradient has no `1/0`) and marked `valid = 0`;
 * their coordinates are meaningless. The clamp is a `where`, not a data-dependent read.
 *
 * @param points - float32 `[B, H, W, 3]`, (X, Y, Z) in the camera's frame
 * @param K - float32 `[B, 3, 3]`, intrinsics in pixels
 * @param options.eps - default `1e-3`
 * @returns `{ coords [B,H,W,2], depth [B,H,W,1], valid [B,H,W,1] }`
 * @throws ShapeError, DTypeError for the tensors; ArgumentError for `eps`
 * @example
 * ```ts
 * const { coords, valid } = project(transformPoints(srcTransTgt, points), K);
 * ```
 */
export const project = defineOp(
  OP,
  (points: tf.Tensor4D, K: tf.Tensor3D, options?: ProjectOptions): Projection => {
    const dims = shapeBindings();
    checkMap(points, ['B', 'H', 'W', 3], OP, 'points', dims);
    checkFloat(K, ['B', 3, 3], OP, 'K', dims);
    const { eps = 1e-3 } = checkOptions(options, ['eps'], { op: OP });
    checkNumber(eps, { op: OP, arg: 'eps', min: 0, exclusiveMin: true });
    return projectUnchecked(points, K, eps);
  },
);

/** {@link project} without checks, for the warps. */
export function projectUnchecked(points: tf.Tensor4D, K: tf.Tensor3D, eps: number): Projection {
  const q = applyMatrix(K, points); // [B, H, W, 3]
  const [uv, z] = tf.split(q, [2, 1], 3) as [tf.Tensor4D, tf.Tensor4D];
  const front = untracked(() => tf.greater(z, eps)); // false for NaN; comparisons have no gradient
  const zSafe = tf.where(front, z, tf.fill(z.shape, eps));
  return {
    coords: tf.div(uv, zSafe) as tf.Tensor4D,
    depth: z,
    valid: tf.cast(front, 'float32') as tf.Tensor4D,
  };
}
