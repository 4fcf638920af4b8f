import { checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

import { checkMap, checkMinSize } from '../internal/image-checks';
import { checkReduction, reducePixels } from '../internal/reduce';
import { ssimDissimilarity } from '../internal/ssim-map';

/** Options of {@link ssimLoss}. */
export interface SSIMLossOptions<R extends Reduction = Reduction> {
  /** `'mean'` (default) or `'sum'` over all pixels, or `'none'` for the `[B, H, W, 1]` map. */
  readonly reduction?: R;
}

const OP = 'ssimLoss';

const ssimLossOp = defineOp(OP, (x: tf.Tensor, y: tf.Tensor, options: SSIMLossOptions | undefined) => {
  checkOptions(options, ['reduction'], { op: OP });
  const { reduction = 'mean' } = options ?? {};
  const dims = shapeBindings();
  checkMap(x, { op: OP, arg: 'x', bindings: dims });
  checkMap(y, { op: OP, arg: 'y', bindings: dims });
  checkMinSize(OP, 'x', x, 2, 'reflection padding by 1');
  checkReduction(OP, reduction);
  const perPixel = tf.mean(ssimDissimilarity(x, y), 3, true) as tf.Tensor4D; // [B, H, W, 1]
  return reducePixels(perPixel, reduction);
});

/**
 * Monodepth2's SSIM loss: the structural dissimilarity `clamp((1 - SSIM(x, y)) / 2, 0, 1)` per pixel,
 * averaged over channels.
 *
 * Local statistics use a 3x3 box filter (average pool) after reflection padding by 1, so the map keeps
 * the input size: `mu = box(x)`, `s_x = box(x^2) - mu_x^2`, `s_xy = box(xy) - mu_x mu_y`, and
 * `SSIM = ((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(s_x + s_y + C2))` with
 * `C1 = 0.01^2`, `C2 = 0.03^2` (data range 1). Identical images give exactly 0. The reflection padding
 * is built from slices (tfjs 4.22's `mirrorPad` has a wrong gradient), so gradients are exact.
 *
 * @param x - float32 `[B, H, W, C]` images in [0, 1] (e.g. the warped source), `H, W >= 2`
 * @param y - float32 `[B, H, W, C]`, the same shape (e.g. the target)
 * @param options - `reduction` (default `'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the `[B, H, W, 1]` per-pixel loss in [0, 1]
 * @throws ShapeError when an input is not `[B, H, W, C]`, the shapes differ, or `H` or `W` is below 2
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `reduction` is unknown
 * @example
 * ```ts
 * const target = uniform(createKey(0), [2, 64, 64, 3]);
 * const darker = tf.mul(target, 0.8);
 * const perPixel = ssimLoss(darker, target, { reduction: 'none' }); // [2, 64, 64, 1]
 * ```
 * @see Godard, Mac Aodha, Firman, Brostow, "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019, https://arxiv.org/abs/1806.01260
 * @see Wang, Bovik, Sheikh, Simoncelli, "Image Quality Assessment: From Error Visibility to Structural Similarity", IEEE TIP 2004
 */
export function ssimLoss<R extends Reduction = 'mean'>(
  x: tf.Tensor,
  y: tf.Tensor,
  options?: SSIMLossOptions<R>,
): PixelReduced<R> {
  return ssimLossOp(x, y, options) as PixelReduced<R>;
}
