import { checkBoolean, checkImages, checkOptions, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Linear sRGB to CIE XYZ (D65), the matrix of scikit-image's `rgb2lab`, which Zhang et al.'s code
 * uses. Rows: X, Y, Z.
 */
export const XYZ_FROM_RGB: readonly (readonly [number, number, number])[] = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];

/** The D65 reference white (2 degree observer), `[Xn, Yn, Zn]`. */
export const D65_WHITE = [0.95047, 1, 1.08883] as const;

/** The inverse of {@link XYZ_FROM_RGB}, by the closed form (cofactors over the determinant), in float64. */
function inverse3(m: readonly (readonly number[])[]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [number[], number[], number[]];
  const A = e! * i! - f! * h!;
  const B = -(d! * i! - f! * g!);
  const C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  return [
    [A / det, -(b! * i! - c! * h!) / det, (b! * f! - c! * e!) / det],
    [B / det, (a! * i! - c! * g!) / det, -(a! * f! - c! * d!) / det],
    [C / det, -(a! * h! - b! * g!) / det, (a! * e! - b! * d!) / det],
  ];
}

const RGB_FROM_XYZ = inverse3(XYZ_FROM_RGB);
const EPSILON = (6 / 29) ** 3; // 0.008856
const KAPPA = 1 / (3 * (6 / 29) ** 2); // 7.787

/** `x @ m^T` over the last axis of `[..., 3]`. */
function mix(
  x: tf.Tensor,
  m: readonly (readonly number[])[],
  scale: readonly number[] = [1, 1, 1],
): tf.Tensor {
  const rows = m.map((row, r) => row.map((v) => v / scale[r]!));
  const transposed = tf.tensor2d([0, 1, 2].map((c) => rows.map((row) => row[c]!))); // [3 in, 3 out]
  const shape = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), transposed), shape);
}

/**
 * sRGB to CIE L*a*b* (D65): undo the sRGB curve (`c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4`),
 * map to XYZ with {@link XYZ_FROM_RGB}, divide by the white, then `L = 116 f(Y) - 16`,
 * `a = 500 (f(X) - f(Y))`, `b = 200 (f(Y) - f(Z))` with `f(t) = t^(1/3)` above `(6/29)^3` and
 * `t / (3 (6/29)^2) + 4/29` below. White is `L = 100, a = b = 0` (to 0.005); pure red is
 * `(53.24, 80.09, 67.20)`. Same formulas and constants as scikit-image's `rgb2lab`.
 *
 * @param images - float32 `[B, H, W, 3]` sRGB in [0, 1]
 * @returns `[B, H, W, 3]`: L in [0, 100], a and b roughly in [-110, 110]
 * @throws ShapeError unless the images have 3 channels; DTypeError for non-float32
 * @example
 * ```ts
 * const lab = rgbToLab(images);
 * ```
 * @see CIE 15:2004; IEC 61966-2-1 (sRGB)
 */
export const rgbToLab = defineOp('rgbToLab', (images: tf.Tensor): tf.Tensor4D => {
  checkImages(images, { op: 'rgbToLab', arg: 'images', channels: [3] });
  const c = tf.clipByValue(images, 0, 1);
  const linear = tf.where(
    tf.lessEqual(c, 0.04045),
    tf.div(c, 12.92),
    tf.pow(tf.div(tf.add(c, 0.055), 1.055), 2.4),
  );
  const xyz = mix(linear, XYZ_FROM_RGB, D65_WHITE); // [B, H, W, 3], white-normalised
  const f = tf.where(
    tf.greater(xyz, EPSILON),
    tf.pow(tf.maximum(xyz, EPSILON), 1 / 3),
    tf.add(tf.mul(xyz, KAPPA), 4 / 29),
  );
  const [fx, fy, fz] = tf.split(f, 3, 3);
  return tf.concat(
    [tf.sub(tf.mul(fy!, 116), 16), tf.mul(tf.sub(fx!, fy!), 500), tf.mul(tf.sub(fy!, fz!), 200)],
    3,
  ) as tf.Tensor4D;
});

/** Options of {@link labToRgb}. */
export interface LabToRgbOptions {
  /** Clip the result to [0, 1] (colours outside the sRGB gamut). Default true. */
  readonly clip?: boolean;
}

/**
 * CIE L*a*b* (D65) to sRGB, the inverse of {@link rgbToLab}: `f_y = (L + 16) / 116`,
 * `f_x = f_y + a / 500`, `f_z = f_y - b / 200`, `t = f^3` above `6/29` and `3 (6/29)^2 (f - 4/29)`
 * below, times the white; XYZ to linear RGB by the inverse matrix, then the sRGB curve
 * (`12.92 c` up to 0.0031308, `1.055 c^(1/2.4) - 0.055` above).
 *
 * @param lab - float32 `[B, H, W, 3]`
 * @param options - `clip` (default true)
 * @returns `[B, H, W, 3]` sRGB
 * @throws ShapeError unless `lab` is `[B, H, W, 3]`
 * @example
 * ```ts
 * const rgb = labToRgb(tf.concat([lightness, annealedMean(logits)], 3));
 * ```
 */
export const labToRgb = defineOp('labToRgb', (lab: tf.Tensor, options?: LabToRgbOptions): tf.Tensor4D => {
  const { clip = true } = checkOptions(options, ['clip'], { op: 'labToRgb' });
  checkBoolean(clip, { op: 'labToRgb', arg: 'clip' });
  checkShape(lab, ['B', 'H', 'W', 3], { op: 'labToRgb', arg: 'lab' });
  const [L, a, b] = tf.split(lab, 3, 3);
  const fy = tf.div(tf.add(L!, 16), 116);
  const f = tf.concat([tf.add(fy, tf.div(a!, 500)), fy, tf.sub(fy, tf.div(b!, 200))], 3);
  const t = tf.where(tf.greater(f, 6 / 29), tf.pow(f, 3), tf.mul(tf.sub(f, 4 / 29), 3 * (6 / 29) ** 2));
  const xyz = tf.mul(t, tf.tensor1d([...D65_WHITE]));
  const linear = mix(xyz, RGB_FROM_XYZ);
  const srgb = tf.where(
    tf.lessEqual(linear, 0.0031308),
    tf.mul(linear, 12.92),
    tf.sub(tf.mul(tf.pow(tf.maximum(linear, 0.0031308), 1 / 2.4), 1.055), 0.055),
  );
  return (clip ? tf.clipByValue(srgb, 0, 1) : srgb) as tf.Tensor4D;
});
