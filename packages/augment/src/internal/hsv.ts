import { LUMA_WEIGHTS } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * HSV kernels on flat pixels `[N, 3]`, written for speed on the wasm backend: channels are mixed and
 * split with small matrix products (concatenating or slicing the channel axis, `tf.minimum` and
 * `tf.mod` are an order of magnitude slower there), and per-pixel selections use arithmetic masks.
 */

/** Columns `g - b`, `b - r`, `r - g` of `x @ DIFF`. */
const DIFF = [
  [0, -1, 1],
  [1, 0, -1],
  [-1, 1, 0],
];

/** `x - floor(x)`, the fractional part (x >= 0 here). */
export const fract = (x: tf.Tensor): tf.Tensor => tf.sub(x, tf.floor(x));

/** `x` with zeros replaced by a tiny positive number, so `0 / safe(0) = 0` and other quotients are exact. */
const safe = (x: tf.Tensor): tf.Tensor => tf.maximum(x, 1e-30);

/**
 * Hue in [0, 1), chroma `max - min` and value `max` of RGB pixels `[N, 3]`, each `[N, 1]`, as torchvision's
 * `_rgb2hsv`: `v = max`, `s = (max - min) / max` (0 where `max = min`), and the hue sector picked by the
 * first channel holding the maximum (red, then green, then blue).
 */
export function rgbToHsvParts(x: tf.Tensor2D): { hue: tf.Tensor2D; chroma: tf.Tensor2D; value: tf.Tensor2D } {
  const maxc = tf.max(x, 1, true);
  const chroma = tf.sub(maxc, tf.min(x, 1, true));
  const first = tf.cast(tf.oneHot(tf.argMax(x, 1), 3), 'float32'); // [N, 3] one-hot of the max channel
  const numerator = tf.sum(tf.mul(first, tf.matMul(x, tf.tensor2d(DIFF))), 1, true);
  const sector = tf.matMul(first, tf.tensor2d([[0], [2], [4]]));
  const h6 = tf.add(tf.div(numerator, safe(chroma)), sector); // in (-1, 5]
  const hue = fract(tf.add(tf.mul(h6, 1 / 6), 1)) as tf.Tensor2D;
  return { hue, chroma: chroma as tf.Tensor2D, value: maxc as tf.Tensor2D };
}

/** Saturation `chroma / value` (0 for black). */
export const saturationOf = (chroma: tf.Tensor2D, value: tf.Tensor2D): tf.Tensor2D =>
  tf.div(chroma, safe(value)) as tf.Tensor2D;

/**
 * RGB `[N, 3]` from hue, chroma `c = v s` and value `[N, 1]`:
 * `c_n = v - c clip(min(k, 4 - k), 0, 1)`, `k = (n + 6 h) mod 6`, `n = 5, 3, 1` for R, G, B, which
 * equals torchvision's six-sector `_hsv2rgb` for `s, v` in [0, 1]. `min(k, 4 - k) = 2 - |k - 2|`.
 */
export function hsvPartsToRgb(hue: tf.Tensor2D, chroma: tf.Tensor2D, value: tf.Tensor2D): tf.Tensor2D {
  const u = tf.add(hue, tf.tensor1d([5 / 6, 3 / 6, 1 / 6])); // [N, 3] = (n + 6 h) / 6
  const k = tf.mul(tf.sub(u, tf.floor(u)), 6);
  const ramp = tf.clipByValue(tf.sub(2, tf.abs(tf.sub(k, 2))), 0, 1);
  return tf.sub(value, tf.mul(chroma, ramp)) as tf.Tensor2D;
}

/** Column `i` of `[N, 3]` as `[N, 1]`. */
export function column(x: tf.Tensor2D, i: number): tf.Tensor2D {
  const pick = [[0], [0], [0]];
  pick[i] = [1];
  return tf.matMul(x, tf.tensor2d(pick));
}

/** `[N, 3]` from three `[N, 1]` columns. */
export function fromColumns(a: tf.Tensor2D, b: tf.Tensor2D, c: tf.Tensor2D): tf.Tensor2D {
  return tf.addN([
    tf.matMul(a, tf.tensor2d([[1, 0, 0]])),
    tf.matMul(b, tf.tensor2d([[0, 1, 0]])),
    tf.matMul(c, tf.tensor2d([[0, 0, 1]])),
  ]) as tf.Tensor2D;
}

/** `[3, 3]` matrix `G` with `x @ G` = the BT.601 luma repeated in all three channels. */
export function grayMatrix(): tf.Tensor2D {
  const [r, g, b] = LUMA_WEIGHTS;
  return tf.tensor2d([
    [r, r, r],
    [g, g, g],
    [b, b, b],
  ]);
}

/**
 * Shifts the hue of each sample of `[B, H, W, 3]` by `shifts[b]` (a fraction of the colour wheel), as
 * torchvision's `adjust_hue`: `h' = (h + shift) mod 1` in HSV.
 */
export function shiftHue(images: tf.Tensor4D, shifts: Float32Array): tf.Tensor4D {
  const [B, H, W] = images.shape;
  const flat = tf.reshape(images, [B * H * W, 3]) as tf.Tensor2D;
  const { hue, chroma, value } = rgbToHsvParts(flat);
  // + 1 keeps the sum positive (hue in [0, 1), shift in [-0.5, 0.5]), so fract is the floored mod.
  const shifted = tf.add(
    tf.reshape(hue, [B, H * W]),
    tf.tensor2d(
      shifts.map((s) => s + 1),
      [B, 1],
    ),
  );
  const newHue = tf.reshape(fract(shifted), [B * H * W, 1]) as tf.Tensor2D;
  return tf.reshape(hsvPartsToRgb(newHue, chroma, value), [B, H, W, 3]);
}
