import {
  ArgumentError,
  checkKey,
  checkOptions,
  defineOp,
  type Key,
  normal,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

import { checkMap } from '../internal/image-checks';
import { checkReduction, reducePixels } from '../internal/reduce';

/** Options of {@link minReprojection}. */
export interface MinReprojectionOptions<R extends Reduction = Reduction> {
  /**
   * Monodepth2's auto-masking: the per-pixel losses of the unwarped source frames against the target,
   * each float32 `[B, H, W, 1]`. When given, a pixel where an identity loss is lowest is masked out.
   */
  readonly identityLosses?: readonly tf.Tensor[];
  /**
   * Key for the tie-break noise `1e-5 N(0, 1)` added to the identity losses (Monodepth2). Without a key
   * no noise is added, and ties go to the identity losses (mask 0).
   */
  readonly key?: Key;
  /** `'mean'` (default) or `'sum'` of the per-pixel minimum, or `'none'` for the `[B, H, W, 1]` map. */
  readonly reduction?: R;
}

/** What {@link minReprojection} returns. */
export interface MinReprojectionResult<R extends Reduction = Reduction> {
  /** The reduced per-pixel minimum: a `tf.Scalar`, or `[B, H, W, 1]` for `'none'`. */
  readonly loss: PixelReduced<R>;
  /** float32 `[B, H, W, 1]`: 1 where a reprojection loss is the minimum, 0 where an identity loss is. */
  readonly mask: tf.Tensor4D;
}

/** Monodepth2's tie-break noise scale. */
const IDENTITY_NOISE = 1e-5;

const OP = 'minReprojection';

function checkLossList(
  value: unknown,
  argument: string,
  bindings: ReturnType<typeof shapeBindings>,
): asserts value is tf.Tensor4D[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument,
      expected: 'a non-empty array of [B,H,W,1] tensors',
      actual: Array.isArray(value) ? 'an empty array' : value === null ? 'null' : typeof value,
    });
  }
  value.forEach((loss, i) => {
    checkMap(loss, { op: OP, arg: `${argument}[${i}]`, bindings, channels: 1 });
  });
}

const minReprojectionOp = defineOp(
  OP,
  (reprojectionLosses: readonly tf.Tensor[], options: MinReprojectionOptions | undefined) => {
    checkOptions(options, ['identityLosses', 'key', 'reduction'], { op: OP });
    const { identityLosses, key, reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkLossList(reprojectionLosses, 'reprojectionLosses', dims);
    if (identityLosses !== undefined) checkLossList(identityLosses, 'identityLosses', dims);
    if (key !== undefined) checkKey(key, OP, 'key');
    checkReduction(OP, reduction);

    let identity: tf.Tensor[] = identityLosses === undefined ? [] : [...identityLosses];
    if (identity.length > 0 && key !== undefined) {
      const stacked = tf.concat(identity, 3);
      const noise = tf.mul(normal(key, stacked.shape), IDENTITY_NOISE);
      identity = [tf.add(stacked, noise)];
    }
    const identityCount = identityLosses?.length ?? 0;
    const candidates = tf.concat([...identity, ...reprojectionLosses], 3); // [B, H, W, N], identity first
    const count = candidates.shape[3] as number;
    // The winner's one-hot selection is a constant, so the gradient reaches only the selected loss
    // (tf.min would send it to every tied candidate). argMin takes the first minimum on ties.
    const winner = tf.argMin(candidates, 3); // [B, H, W]
    // int32 one-hot, then cast: tfjs 4.22 wasm's OneHot writes int bits into a float32 output.
    const selection = tf.cast(tf.oneHot(winner, count), 'float32'); // [B, H, W, N]
    const minimum = tf.sum(tf.mul(candidates, selection), 3, true) as tf.Tensor4D; // [B, H, W, 1]
    const mask = tf.expandDims(tf.cast(tf.greaterEqual(winner, identityCount), 'float32'), 3) as tf.Tensor4D;
    return { loss: reducePixels(minimum, reduction), mask };
  },
);

/**
 * Monodepth2's per-pixel minimum reprojection with auto-masking: at each pixel, the smallest of the
 * per-source reprojection losses (so a pixel occluded in one source frame is explained by another),
 * and, with `identityLosses`, the pixel is dropped when an unwarped source already matches the target
 * better (static camera, objects moving with the camera, textureless regions).
 *
 * `loss(p) = min(identity_1(p) + n_1(p), ..., identity_K(p) + n_K(p), reprojection_1(p), ..., reprojection_S(p))`
 * with `n ~ 1e-5 N(0, 1)` drawn from `key` (none without a key), and `mask(p) = 1` when a reprojection
 * loss attains it. The minimum of a masked pixel is an identity loss, which does not depend on the depth
 * or pose networks, so it trains nothing, as in Monodepth2 (which averages `loss` over all pixels). The
 * gradient flows only to the selected candidate, one per pixel (ties go to the first: identity before
 * reprojection, then list order).
 *
 * @param reprojectionLosses - S >= 1 float32 `[B, H, W, 1]` per-pixel losses, one per source frame
 *   (e.g. `photometricLoss(warped_s, target, { reduction: 'none' })`)
 * @param options - `identityLosses` (K >= 1 float32 `[B, H, W, 1]`), `key`, `reduction` (default `'mean'`)
 * @returns `{ loss, mask }`: the reduced minimum (`[B, H, W, 1]` for `'none'`) and the float32
 *   `[B, H, W, 1]` auto-mask (all ones without identity losses)
 * @throws ShapeError when a loss is not `[B, H, W, 1]` or the shapes differ (the message names the list index)
 * @throws DTypeError when a loss is not float32
 * @throws ArgumentError for an empty list, a malformed `key`, or an unknown `reduction`
 * @example
 * ```ts
 * const reprojection = sources.map((s) => photometricLoss(warp(s), target, { reduction: 'none' }));
 * const identity = sources.map((s) => photometricLoss(s, target, { reduction: 'none' }));
 * const { loss, mask } = minReprojection(reprojection, { identityLosses: identity, key: stepKey });
 * ```
 * @see Godard, Mac Aodha, Firman, Brostow, "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019, https://arxiv.org/abs/1806.01260
 */
export function minReprojection<R extends Reduction = 'mean'>(
  reprojectionLosses: readonly tf.Tensor[],
  options?: MinReprojectionOptions<R>,
): MinReprojectionResult<R> {
  return minReprojectionOp(reprojectionLosses, options) as unknown as MinReprojectionResult<R>;
}
