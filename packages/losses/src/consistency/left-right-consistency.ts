import { checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

import { checkMap } from '../internal/image-checks';
import { checkReduction, reducePixels } from '../internal/reduce';

/** Options of {@link leftRightConsistency}. */
export interface LeftRightConsistencyOptions<R extends Reduction = Reduction> {
  /** `'mean'` (default) or `'sum'` over all pixels, or `'none'` for the `[B, H, W, 1]` map. */
  readonly reduction?: R;
}

const OP = 'leftRightConsistency';

const leftRightConsistencyOp = defineOp(
  OP,
  (disp: tf.Tensor, dispProjected: tf.Tensor, options: LeftRightConsistencyOptions | undefined) => {
    checkOptions(options, ['reduction'], { op: OP });
    const { reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkMap(disp, { op: OP, arg: 'disp', bindings: dims, channels: 1 });
    checkMap(dispProjected, { op: OP, arg: 'dispProjected', bindings: dims, channels: 1 });
    checkReduction(OP, reduction);
    return reducePixels(tf.abs(tf.sub(disp, dispProjected)) as tf.Tensor4D, reduction);
  },
);

/**
 * Monodepth's left-right disparity consistency: `mean |d_l - d_r(x - d_l)|`, the L1 difference between a
 * view's disparity and the other view's disparity projected into it.
 *
 * This package does not depend on `@genoise/warp`: the caller warps the other view's disparity and
 * passes it as `dispProjected` (Monodepth samples `d_r` at `x - d_l` for the left view and `d_l` at
 * `x + d_r` for the right, with border padding, and adds both terms with weight 1). The gradient of
 * `|0|` is 0, so consistent disparities give zero gradient, not NaN.
 *
 * @param disp - float32 `[B, H, W, 1]`, one view's disparity (e.g. the left's, in pixels)
 * @param dispProjected - float32 `[B, H, W, 1]`, the other view's disparity warped into this view
 * @param options - `reduction` (default `'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the `[B, H, W, 1]` per-pixel `|disp - dispProjected|`
 * @throws ShapeError when an input is not `[B, H, W, 1]` or the shapes differ
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `reduction` is unknown
 * @example
 * ```ts
 * import { disparityWarp } from '@genoise/warp';
 * // dispLeft, dispRight: [B, H, W, 1] in pixels. The right disparity sampled at x - d_left is the
 * // right view's disparity seen from the left view, and vice versa.
 * const rightInLeft = disparityWarp(dispRight, dispLeft, { direction: 'toLeft', padding: 'border' });
 * const leftInRight = disparityWarp(dispLeft, dispRight, { direction: 'toRight', padding: 'border' });
 * const lr = tf.add(leftRightConsistency(dispLeft, rightInLeft), leftRightConsistency(dispRight, leftInRight));
 * ```
 * @see Godard, Mac Aodha, Brostow, "Unsupervised Monocular Depth Estimation with Left-Right Consistency" (Monodepth), CVPR 2017, https://arxiv.org/abs/1609.03677
 */
export function leftRightConsistency<R extends Reduction = 'mean'>(
  disp: tf.Tensor,
  dispProjected: tf.Tensor,
  options?: LeftRightConsistencyOptions<R>,
): PixelReduced<R> {
  return leftRightConsistencyOp(disp, dispProjected, options) as PixelReduced<R>;
}
