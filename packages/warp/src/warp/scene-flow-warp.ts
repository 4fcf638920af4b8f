import { defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { backprojectUnchecked } from '../camera/backproject';
import { invertIntrinsicsUnchecked } from '../camera/invert-intrinsics';
import { checkFloat, checkMap, type Padding } from '../internal/checks';
import { checkWarpOptions, projectAndSample, sanitizeDepth, type WarpResult } from '../internal/warp';

/** Options of {@link sceneFlowWarp}. */
export interface SceneFlowWarpOptions {
  /** Sampling padding, `'zeros'` (default) or `'border'`. */
  readonly padding?: Padding;
  /** Smallest projected depth divided by (see {@link project}). Default `1e-3`. */
  readonly eps?: number;
}

const OP = 'sceneFlowWarp';

/**
 * Reconstructs frame 1 from frame 2 through depth and 3-D scene flow (Hur & Roth 2020): each pixel of
 * frame 1 is lifted with its depth, `X1 = D1(p) K^-1 [p, 1]`, moved by its scene flow, `X2 = X1 + s(p)`,
 * and projected with the same camera, `p2 ~ K X2`; then `warped(p) = image2(p2)`. The camera is static
 * (ego-motion, if any, is part of the scene flow). Differentiable w.r.t. the image, depth, scene flow and `K`.
 *
 * Depth that is zero, negative or not finite is replaced by 1 (zero gradient) and marked `valid = 0`;
 * points that land at or behind the camera are divided by `eps` and marked `valid = 0`.
 *
 * @param image - float32 `[B, H, W, C]`, frame 2
 * @param depth - float32 `[B, H, W, 1]`, frame 1's depth
 * @param sceneFlow - float32 `[B, H, W, 3]`, (dX, dY, dZ) of each frame-1 point, in depth units, camera frame
 * @param K - float32 `[B, 3, 3]`, intrinsics in pixels
 * @param options - `{ padding = 'zeros', eps = 1e-3 }`
 * @returns `{ warped [B,H,W,C], coords [B,H,W,2], valid [B,H,W,1] }`, as {@link inverseWarp}
 * @throws ShapeError for ranks, batch or size mismatches; DTypeError for non-float32 tensors;
 *   ArgumentError for the options
 * @example
 * ```ts
 * const { warped, valid } = sceneFlowWarp(frame2, depth1, sceneFlow, K);
 * ```
 * @see Hur & Roth 2020, Self-Supervised Monocular Scene Flow Estimation
 */
export const sceneFlowWarp = defineOp(
  OP,
  (
    image: tf.Tensor4D,
    depth: tf.Tensor4D,
    sceneFlow: tf.Tensor4D,
    K: tf.Tensor3D,
    options?: SceneFlowWarpOptions,
  ): WarpResult => {
    const dims = shapeBindings();
    checkMap(image, ['B', 'H', 'W', 'C'], OP, 'image', dims);
    checkMap(depth, ['B', 'H', 'W', 1], OP, 'depth', dims);
    checkMap(sceneFlow, ['B', 'H', 'W', 3], OP, 'sceneFlow', dims);
    checkFloat(K, ['B', 3, 3], OP, 'K', dims);
    const { padding, eps } = checkWarpOptions(OP, options);
    const { depth: safeDepth, ok } = sanitizeDepth(depth);
    const points = tf.add(
      backprojectUnchecked(safeDepth, invertIntrinsicsUnchecked(K)),
      sceneFlow,
    ) as tf.Tensor4D;
    return projectAndSample(image, points, K, ok, padding, eps);
  },
);
