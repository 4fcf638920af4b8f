import { ArgumentError, checkNumber, checkOneOf, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMap, type Padding } from '../internal/checks';
import { pixelGrid, sampleBilinear } from '../internal/sample';

/** Options of {@link disparityWarp}. */
export interface DisparityWarpOptions {
  /**
   * Which view is reconstructed. Required.
   * - `'toLeft'`: `image` is the right view, `disparity` the left view's; `out(x, y) = right(x - d(x, y), y)`.
   * - `'toRight'`: `image` is the left view, `disparity` the right view's; `out(x, y) = left(x + d(x, y), y)`.
   */
  readonly direction: 'toLeft' | 'toRight';
  /** Sampling padding, `'zeros'` (default) or `'border'` (Monodepth samples with border padding). */
  readonly padding?: Padding;
}

const OP = 'disparityWarp';

/**
 * Horizontal warp of a rectified stereo pair by disparity in pixels (Monodepth's `generate_image_left`
 * and `generate_image_right`). Rectified convention: a scene point at `x_left` in the left image is at
 * `x_right = x_left - d_left` in the right image (disparity positive). So sampling the right image at
 * `x - d_left(x)` gives the left view (`direction: 'toLeft'`), and sampling the left image at
 * `x + d_right(x)` gives the right view (`direction: 'toRight'`). Rows are not moved. Differentiable
 * w.r.t. the image and the disparity.
 *
 * @param image - float32 `[B, H, W, C]`, the view that is sampled
 * @param disparity - float32 `[B, H, W, 1]`, in pixels, of the view that is reconstructed (convert network
 *   outputs given as a fraction of the width with {@link disparityToPixels})
 * @param options - `{ direction, padding = 'zeros' }`
 * @returns float32 `[B, H, W, C]`, the reconstructed view
 * @throws ShapeError for ranks (e.g. a `[B, H, W]` disparity), batch or size mismatches; DTypeError;
 *   ArgumentError for the options
 * @example
 * ```ts
 * const leftFromRight = disparityWarp(right, disparityToPixels(dispLeft), { direction: 'toLeft' });
 * ```
 * @see Godard et al. 2017, Unsupervised Monocular Depth Estimation with Left-Right Consistency
 */
export const disparityWarp = defineOp(
  OP,
  (image: tf.Tensor4D, disparity: tf.Tensor4D, options: DisparityWarpOptions): tf.Tensor4D => {
    const dims = shapeBindings();
    checkMap(image, ['B', 'H', 'W', 'C'], OP, 'image', dims);
    checkMap(disparity, ['B', 'H', 'W', 1], OP, 'disparity', dims);
    if (options === undefined) {
      throw new ArgumentError({
        op: OP,
        argument: 'options',
        expected: "{ direction: 'toLeft' | 'toRight', padding? }",
        actual: 'undefined',
      });
    }
    const { direction, padding = 'zeros' } = checkOptions(options, ['direction', 'padding'], { op: OP });
    checkOneOf(direction, ['toLeft', 'toRight'], { op: OP, arg: 'direction' });
    checkOneOf(padding, ['zeros', 'border'], { op: OP, arg: 'padding' });
    const [, height, width] = image.shape;
    const shift = direction === 'toLeft' ? tf.neg(disparity) : disparity;
    const coords = tf.add(
      pixelGrid(height, width),
      tf.concat([shift, tf.zerosLike(shift)], 3),
    ) as tf.Tensor4D;
    return sampleBilinear(image, coords, padding);
  },
);

/** Options of {@link disparityToPixels}. */
export interface DisparityToPixelsOptions {
  /** The image width the fraction refers to, in pixels. Default: the disparity map's own width `W`. */
  readonly width?: number;
}

/**
 * Network disparities given as a fraction of the image width (Monodepth: `0.3 · sigmoid(x)`) to pixels:
 * `d_px = d · width`.
 *
 * @param disparity - float32 `[B, H, W, 1]`, fraction of the width
 * @param options.width - default `W`, the map's own width (the width at this pyramid level)
 * @returns float32 `[B, H, W, 1]`, in pixels
 * @throws ShapeError, DTypeError for `disparity`; ArgumentError for `width`
 * @example
 * ```ts
 * const pixels = disparityToPixels(tf.mul(tf.sigmoid(logits), 0.3));
 * ```
 */
export const disparityToPixels = defineOp(
  'disparityToPixels',
  (disparity: tf.Tensor4D, options?: DisparityToPixelsOptions): tf.Tensor4D => {
    checkMap(disparity, ['B', 'H', 'W', 1], 'disparityToPixels', 'disparity');
    const { width = disparity.shape[2] } = checkOptions(options, ['width'], { op: 'disparityToPixels' });
    checkNumber(width, { op: 'disparityToPixels', arg: 'width', min: 0, exclusiveMin: true });
    return tf.mul(disparity, width) as tf.Tensor4D;
  },
);
