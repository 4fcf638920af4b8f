import { ArgumentError, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

import { checkMap, checkMinSize } from '../internal/image-checks';
import { checkReduction, reducePixels } from '../internal/reduce';
import { ssimDissimilarity } from '../internal/ssim-map';

/** Options of {@link photometricLoss}. */
export interface PhotometricLossOptions<R extends Reduction = Reduction> {
  /** The SSIM share `alpha` in [0, 1]. Default `0.85` (Monodepth2). */
  readonly alpha?: number;
  /** `'mean'` (default) or `'sum'` over all pixels, or `'none'` for the `[B, H, W, 1]` map. */
  readonly reduction?: R;
}

const OP = 'photometricLoss';

const photometricLossOp = defineOp(
  OP,
  (pred: tf.Tensor, target: tf.Tensor, options: PhotometricLossOptions | undefined) => {
    checkOptions(options, ['alpha', 'reduction'], { op: OP });
    const { alpha = 0.85, reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkMap(pred, { op: OP, arg: 'pred', bindings: dims });
    checkMap(target, { op: OP, arg: 'target', bindings: dims });
    if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
      throw new ArgumentError({
        op: OP,
        argument: 'alpha',
        expected: 'a number in [0, 1]',
        actual: String(alpha),
      });
    }
    checkReduction(OP, reduction);
    const l1 = tf.abs(tf.sub(pred, target)); // [B, H, W, C]
    let perChannel: tf.Tensor = l1;
    if (alpha > 0) {
      checkMinSize(OP, 'pred', pred, 2, 'reflection padding by 1 for SSIM');
      perChannel = tf.add(tf.mul(ssimDissimilarity(pred, target), alpha), tf.mul(l1, 1 - alpha));
    }
    const perPixel = tf.mean(perChannel, 3, true) as tf.Tensor4D; // [B, H, W, 1]
    return reducePixels(perPixel, reduction);
  },
);

/**
 * Monodepth2's photometric reprojection error: `alpha (1 - SSIM(pred, target)) / 2 + (1 - alpha) |pred - target|`,
 * both terms averaged over channels, per pixel.
 *
 * The SSIM term is {@link ssimLoss} (3x3 box filter after reflection padding 1, clamped to [0, 1]); with
 * `alpha = 0` the loss is plain L1 and any image size is accepted. The gradient of `|0|` is 0, so a
 * perfect reconstruction gives a zero gradient, not NaN.
 *
 * @param pred - float32 `[B, H, W, C]`, the reconstruction (e.g. the source image warped into the target view)
 * @param target - float32 `[B, H, W, C]`, the same shape
 * @param options - `alpha` (default 0.85), `reduction` (default `'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the `[B, H, W, 1]` per-pixel error (the input of
 *   {@link minReprojection})
 * @throws ShapeError when an input is not `[B, H, W, C]`, the shapes differ, or `H` or `W` is below 2 (with `alpha > 0`)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `alpha` is outside [0, 1] or `reduction` is unknown
 * @example
 * ```ts
 * // warped = disparityWarp(...) or inverseWarp(...) from @genoise/warp
 * const perPixel = photometricLoss(warped, target, { reduction: 'none' }); // [B, H, W, 1]
 * const loss = photometricLoss(warped, target); // tf.Scalar
 * ```
 * @see Godard, Mac Aodha, Firman, Brostow, "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019, https://arxiv.org/abs/1806.01260
 */
export function photometricLoss<R extends Reduction = 'mean'>(
  pred: tf.Tensor,
  target: tf.Tensor,
  options?: PhotometricLossOptions<R>,
): PixelReduced<R> {
  return photometricLossOp(pred, target, options) as PixelReduced<R>;
}
