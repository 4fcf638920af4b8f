import { checkImages, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { column, hsvPartsToRgb } from '../internal/hsv';

/**
 * HSV to RGB, per pixel: `c_n = v - v s clip(min(k, 4 - k), 0, 1)` with `k = (n + 6 h) mod 6` and
 * `n = 5, 3, 1` for red, green, blue — the six-sector formula of torchvision's `_hsv2rgb`, written
 * without branches. The inverse of {@link rgbToHsv} (hue is periodic with period 1).
 *
 * @param images - float32 `[B, H, W, 3]` holding (h, s, v) with `s, v` in [0, 1]; any real `h`
 * @returns float32 `[B, H, W, 3]` RGB in [0, 1]
 * @throws ShapeError for a rank other than 4 or a channel count other than 3; DTypeError for non-float32
 * @example
 * ```ts
 * const rgb = hsvToRgb(tf.tensor4d([1 / 3, 1, 0.5], [1, 1, 1, 3])); // [[[[0, 0.5, 0]]]] (dark green)
 * ```
 * @see Smith 1978, Color gamut transform pairs
 */
export const hsvToRgb = defineOp('hsvToRgb', (images: tf.Tensor4D): tf.Tensor4D => {
  const dims = checkImages(images, { op: 'hsvToRgb', arg: 'images', channels: [3] });
  const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
  const flat = tf.reshape(images, [B * H * W, 3]) as tf.Tensor2D;
  const value = column(flat, 2);
  return tf.reshape(hsvPartsToRgb(column(flat, 0), tf.mul(column(flat, 1), value) as tf.Tensor2D, value), [
    B,
    H,
    W,
    3,
  ]);
});
