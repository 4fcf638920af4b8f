import { defineOp, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { backprojectUnchecked } from '../camera/backproject';
import { invertIntrinsicsUnchecked } from '../camera/invert-intrinsics';
import { checkFloat, checkMap, type Padding } from '../internal/checks';
import { applyRigid, rigidParts } from '../internal/matrix';
import { checkWarpOptions, projectAndSample, sanitizeDepth, type WarpResult } from '../internal/warp';

/** Options of {@link inverseWarp}. */
export interface InverseWarpOptions {
  /** Sampling padding, `'zeros'` (default) or `'border'` (monodepth2). */
  readonly padding?: Padding;
  /** Smallest projected depth divided by (see {@link project}). Default `1e-3`. */
  readonly eps?: number;
}

const OP = 'inverseWarp';

/**
 * Synthesises the target view from a source image, the target's depth and the relative pose (the view
 * synthesis of SfMLearner and monodepth2): for every target pixel `p_t`,
 * `p_s ~ K · srcTransTgt · D(p_t) · K^-1 · p_t`, then `warped(p_t) = source(p_s)` by bilinear sampling.
 * It is `backproject`, `transformPoints`, `project` and `bilinearSample` in one tidy op, differentiable
 * with respect to the source, the depth, the pose and `K`.
 *
 * Bad depth is clamped, not read: depth that is zero, negative or not finite is replaced by 1 (with a
 * zero gradient) and its pixels get `valid = 0`; points that land at or behind the source camera are
 * divided by `eps` and get `valid = 0`. No NaN comes out for finite poses and intrinsics.
 *
 * @param source - float32 `[B, H, W, C]`, the source image
 * @param depth - float32 `[B, H, W, 1]`, the target's depth, in the same units as the translation
 * @param srcTransTgt - float32 `[B, 4, 4]`, maps target-camera points into the source camera
 * @param K - float32 `[B, 3, 3]`, intrinsics in pixels at this resolution (shared by both views)
 * @param options - `{ padding = 'zeros', eps = 1e-3 }`
 * @returns `{ warped [B,H,W,C], coords [B,H,W,2], valid [B,H,W,1] }`
 * @throws ShapeError for ranks (rank-3 images ask for a batch dimension), batch or size mismatches;
 *   DTypeError for non-float32 tensors; ArgumentError for the options
 * @example
 * ```ts
 * const srcTransTgt = poseVecToMatrix(tf.mul(poseOut, 0.01));
 * const { warped, valid } = inverseWarp(source, depth, srcTransTgt, K, { padding: 'border' });
 * ```
 * @see Zhou et al. 2017, SfMLearner, eq. 2; Godard et al. 2019, Monodepth2
 */
export const inverseWarp = defineOp(
  OP,
  (
    source: tf.Tensor4D,
    depth: tf.Tensor4D,
    srcTransTgt: tf.Tensor3D,
    K: tf.Tensor3D,
    options?: InverseWarpOptions,
  ): WarpResult => {
    const dims = shapeBindings();
    checkMap(source, ['B', 'H', 'W', 'C'], OP, 'source', dims);
    checkMap(depth, ['B', 'H', 'W', 1], OP, 'depth', dims);
    checkFloat(srcTransTgt, ['B', 4, 4], OP, 'srcTransTgt', dims);
    checkFloat(K, ['B', 3, 3], OP, 'K', dims);
    const { padding, eps } = checkWarpOptions(OP, options);
    const { depth: safeDepth, ok } = sanitizeDepth(depth);
    const points = backprojectUnchecked(safeDepth, invertIntrinsicsUnchecked(K)); // target frame
    const { R, t } = rigidParts(srcTransTgt);
    return projectAndSample(source, applyRigid(R, t, points), K, ok, padding, eps);
  },
);
