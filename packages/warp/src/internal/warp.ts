import { checkNumber, checkOneOf, checkOptions } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { projectUnchecked } from '../camera/project';
import type { Padding } from './checks';
import { sampleBilinear } from './sample';
import { untracked } from './untracked';

/** What the depth-based warps return. */
export type WarpResult = {
  /** float32 `[B, H, W, C]`, the source image sampled at `coords`: the target view as seen from the source. */
  readonly warped: tf.Tensor4D;
  /** float32 `[B, H, W, 2]`, where each target pixel lands in the source image, (x, y) in pixels. */
  readonly coords: tf.Tensor4D;
  /**
   * float32 `[B, H, W, 1]`, 1 where the depth is finite and positive, the point lands in front of the
   * source camera (`z > eps`) and inside the source image (`[0, W-1] x [0, H-1]`, give or take
   * 1e-3 px of float32 rounding), else 0. Constant to
   * the gradient.
   */
  readonly valid: tf.Tensor4D;
};

/** The options every depth-based warp takes, checked, with their defaults (`'zeros'`, `1e-3`). */
export function checkWarpOptions(
  op: string,
  options: { readonly padding?: Padding; readonly eps?: number } | undefined,
): { padding: Padding; eps: number } {
  const { padding = 'zeros', eps = 1e-3 } = checkOptions(options, ['padding', 'eps'], { op });
  checkOneOf(padding, ['zeros', 'border'], { op, arg: 'padding' });
  checkNumber(eps, { op, arg: 'eps', min: 0, exclusiveMin: true });
  return { padding, eps };
}

/** Depth with non-finite or non-positive values replaced by 1 (zero gradient there), and the 0/1 mask of the good ones. */
export function sanitizeDepth(depth: tf.Tensor4D): { depth: tf.Tensor4D; ok: tf.Tensor4D } {
  const good = untracked(() => tf.logicalAnd(tf.isFinite(depth), tf.greater(depth, 0)));
  return {
    depth: tf.where(good, depth, tf.onesLike(depth)) as tf.Tensor4D,
    ok: untracked(() => tf.cast(good, 'float32')) as tf.Tensor4D,
  };
}

/** How far outside the image (in pixels) a coordinate may be and still count as inside: float32 rounding. */
export const INSIDE_TOLERANCE = 1e-3;

/**
 * 1 where `coords` lie inside `[0, W-1] x [0, H-1]` (widened by {@link INSIDE_TOLERANCE}; NaN is
 * outside), float32 `[B, H, W, 1]`, untracked.
 */
export function insideMask(coords: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  const tol = INSIDE_TOLERANCE;
  return untracked(() => {
    const [x, y] = tf.split(coords, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
    const inX = tf.logicalAnd(tf.greaterEqual(x, -tol), tf.lessEqual(x, width - 1 + tol));
    const inY = tf.logicalAnd(tf.greaterEqual(y, -tol), tf.lessEqual(y, height - 1 + tol));
    return tf.cast(tf.logicalAnd(inX, inY), 'float32') as tf.Tensor4D;
  });
}

/**
 * Projects `points` (in the source camera's frame, one per target pixel) with `K`, samples `source`
 * there, and combines the validity masks.
 */
export function projectAndSample(
  source: tf.Tensor4D,
  points: tf.Tensor4D,
  K: tf.Tensor3D,
  depthOk: tf.Tensor4D,
  padding: Padding,
  eps: number,
): WarpResult {
  const [, height, width] = source.shape;
  const { coords, valid: front } = projectUnchecked(points, K, eps);
  const warped = sampleBilinear(source, coords, padding);
  const valid = tf.mul(tf.mul(depthOk, front), insideMask(coords, height, width)) as tf.Tensor4D;
  return { warped, coords, valid };
}
