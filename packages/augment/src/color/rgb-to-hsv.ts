import { checkImages, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { fromColumns, rgbToHsvParts, saturationOf } from '../internal/hsv';

/**
 * RGB to HSV, per pixel, as torchvision's `_rgb2hsv`: `v = max(r, g, b)`, `s = (v - min) / v` (0 when
 * `v = min`), and hue `h = ((h6 / 6) + 1) mod 1` with `h6 = (g - b) / (v - min)` when red holds the
 * maximum, `2 + (b - r) / (v - min)` when green does, `4 + (r - g) / (v - min)` otherwise (0 for greys).
 *
 * @param images - float32 `[B, H, W, 3]` RGB in [0, 1]
 * @returns float32 `[B, H, W, 3]` holding (h, s, v), each in [0, 1] (`h` in [0, 1): 0 red, 1/3 green, 2/3 blue)
 * @throws ShapeError for a rank other than 4 or a channel count other than 3; DTypeError for non-float32
 * @example
 * ```ts
 * const hsv = rgbToHsv(tf.tensor4d([1, 0.5, 0], [1, 1, 1, 3])); // [[[[1/12, 1, 1]]]] (orange)
 * ```
 * @see Smith 1978, Color gamut transform pairs; torchvision `transforms/_functional_tensor.py`
 */
export const rgbToHsv = defineOp('rgbToHsv', (images: tf.Tensor4D): tf.Tensor4D => {
  const dims = checkImages(images, { op: 'rgbToHsv', arg: 'images', channels: [3] });
  const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
  const { hue, chroma, value } = rgbToHsvParts(tf.reshape(images, [B * H * W, 3]) as tf.Tensor2D);
  return tf.reshape(fromColumns(hue, saturationOf(chroma, value), value), [B, H, W, 3]);
});
