import { ArgumentError, defineOp, grayscale, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';
import { checkOptions } from '../internal/checks';
import { checkGrayOrRgb, checkMap, checkMinSize } from '../internal/image-checks';
import { checkReduction } from '../internal/reduce';

/** Options of {@link censusLoss}. */
export interface CensusLossOptions<R extends Reduction = Reduction> {
  /** Side `2d + 1` of the census patch, an odd integer >= 3. Default `7` (UnFlow at full resolution). */
  readonly patchSize?: number;
  /**
   * Optional float32 `[B, H, W, 1]` weights (e.g. a non-occlusion mask, 1 = use the pixel), multiplied
   * with the border mask.
   */
  readonly mask?: tf.Tensor;
  /**
   * `'mean'` (default): the sum of the masked map divided by the sum of the mask (valid pixels only);
   * `'sum'`: the sum of the masked map; `'none'`: the `[B, H, W, 1]` masked map.
   */
  readonly reduction?: R;
}

const OP = 'censusLoss';

/** The soft ternary transform's scale, `t / sqrt(0.81 + t^2)` (UnFlow), on intensities in [0, 255]. */
const TERNARY_SCALE = 0.81;
/** The soft Hamming distance's scale, `d^2 / (0.1 + d^2)` (UnFlow). */
const HAMMING_SCALE = 0.1;
/** UnFlow's robust Charbonnier on the distance: `(x^2 + 0.001^2)^0.45`. */
const CHARBONNIER_EPS = 0.001;
const CHARBONNIER_ALPHA = 0.45;

/**
 * The soft ternary census transform of `[N, H, W, 1]` intensities over the valid region:
 * `[N, H-2d, W-2d, P^2]`, channel `k` holding `t / sqrt(0.81 + t^2)` with `t = I(p + o_k) - I(p)` for
 * the offsets `o_k` of the `P x P` patch in row-major order (the centre gives 0, as in UnFlow).
 */
function ternaryTransform(intensities: tf.Tensor4D, radius: number): tf.Tensor4D {
  const [, height, width] = intensities.shape;
  const size = 2 * radius + 1;
  const validHeight = height - 2 * radius;
  const validWidth = width - 2 * radius;
  // Rows first: the P row-strips, each sliced once, then the P columns of each strip.
  const shifted: tf.Tensor4D[] = [];
  for (let dy = 0; dy < size; dy++) {
    const strip = tf.slice(intensities, [0, dy, 0, 0], [-1, validHeight, -1, -1]);
    for (let dx = 0; dx < size; dx++) shifted.push(tf.slice(strip, [0, 0, dx, 0], [-1, -1, validWidth, -1]));
  }
  const centre = shifted[radius * size + radius] as tf.Tensor4D;
  const t = tf.sub(tf.concat(shifted, 3), centre); // [N, h, w, P^2]
  return tf.mul(t, tf.rsqrt(tf.add(tf.square(t), TERNARY_SCALE))) as tf.Tensor4D;
}

const censusLossOp = defineOp(OP, (x: tf.Tensor, y: tf.Tensor, options: CensusLossOptions | undefined) => {
  checkOptions(OP, options);
  const { patchSize = 7, reduction = 'mean', mask } = options ?? {};
  const dims = shapeBindings();
  checkMap(x, { op: OP, arg: 'x', bindings: dims });
  checkMap(y, { op: OP, arg: 'y', bindings: dims });
  checkGrayOrRgb(OP, 'x', x);
  if (mask !== undefined) checkMap(mask, { op: OP, arg: 'mask', bindings: dims, channels: 1 });
  if (!Number.isInteger(patchSize) || patchSize < 3 || patchSize % 2 === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'patchSize',
      expected: 'an odd integer >= 3',
      actual: String(patchSize),
    });
  }
  checkMinSize(OP, 'x', x, patchSize, `one full ${patchSize}x${patchSize} patch`);
  checkReduction(OP, reduction);

  const radius = (patchSize - 1) / 2;
  const [batch, , , channels] = x.shape as [number, number, number, number];
  const both = tf.concat([x, y], 0) as tf.Tensor4D; // [2B, H, W, C]: one transform pass for both images
  const gray = channels === 3 ? grayscale(both) : both; // BT.601
  const transformed = ternaryTransform(tf.mul(gray, 255) as tf.Tensor4D, radius); // [2B, h, w, P^2]
  const [tx, ty] = tf.split(transformed, [batch, batch], 0) as [tf.Tensor4D, tf.Tensor4D];
  const d2 = tf.square(tf.sub(tx, ty));
  const distance = tf.sum(tf.div(d2, tf.add(d2, HAMMING_SCALE)), 3, true); // [B, h, w, 1]
  const robust = tf.pow(tf.add(tf.square(distance), CHARBONNIER_EPS ** 2), CHARBONNIER_ALPHA);
  const padding: [number, number][] = [
    [0, 0],
    [radius, radius],
    [radius, radius],
    [0, 0],
  ];
  let map = tf.pad(robust, padding) as tf.Tensor4D; // [B, H, W, 1], 0 on the border of width d
  let weight: tf.Tensor = tf.pad(tf.ones(robust.shape), padding); // the border mask
  if (mask !== undefined) {
    map = tf.mul(map, mask);
    weight = tf.mul(weight, mask);
  }
  if (reduction === 'none') return map;
  if (reduction === 'sum') return tf.sum(map);
  // Valid pixels only; an all-zero mask gives 0, not 0/0.
  return tf.div(tf.sum(map), tf.maximum(tf.sum(weight), 1e-12));
});

/**
 * UnFlow's census loss: a soft ternary census transform of both images' intensities, a soft Hamming
 * distance between the transforms, and a robust Charbonnier penalty, per pixel. Robust to brightness
 * and contrast changes, which make plain photometric losses fail.
 *
 * With `I = 255 * gray(x)` (BT.601 luma for RGB, the channel itself for one channel), `d = (P - 1) / 2`
 * and each offset `o` of the `P x P` patch: `t_o(p) = I(p + o) - I(p)`, `c_o(p) = t_o / sqrt(0.81 + t_o^2)`;
 * `dist(p) = sum_o e_o^2 / (0.1 + e_o^2)` with `e_o = c_o^x(p) - c_o^y(p)`; the loss is
 * `(dist^2 + 0.001^2)^0.45`. Pixels within `d` of the border have incomplete patches and are masked
 * out: the returned map holds 0 there, and the mean divides by the number of valid pixels (the sum of
 * the border mask times `mask`). UnFlow divides by all `B*H*W` pixels instead, so its value is
 * `(H-2d)(W-2d) / (HW)` times this one without a mask. Identical images have census distance 0, so the
 * loss there is the Charbonnier floor `0.001^0.9 ~ 0.002`, not 0. The transform is vectorised (one slice
 * per offset, one concat), both images in one pass.
 *
 * @param x - float32 `[B, H, W, C]`, `C` 1 or 3, values in [0, 1], `H, W >= patchSize` (e.g. the first frame)
 * @param y - float32 `[B, H, W, C]`, the same shape (e.g. the second frame warped back by the flow)
 * @param options - `patchSize` (default 7), `mask` (optional `[B, H, W, 1]`), `reduction` (default `'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the `[B, H, W, 1]` masked per-pixel loss
 * @throws ShapeError when an input is not `[B, H, W, C]` with `C` 1 or 3, the shapes differ, the mask is
 *   not `[B, H, W, 1]`, or the image is smaller than the patch
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `patchSize` is not an odd integer >= 3 or `reduction` is unknown
 * @example
 * ```ts
 * const frame1 = uniform(createKey(0), [2, 64, 64, 3]);
 * const brighter = tf.clipByValue(tf.add(tf.mul(frame1, 1.2), 0.05), 0, 1);
 * const loss = censusLoss(brighter, frame1); // small: the census is brightness-invariant
 * ```
 * @see Meister, Hur, Roth, "UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss", AAAI 2018, https://arxiv.org/abs/1711.07837
 * @see Zabih, Woodfill, "Non-parametric Local Transforms for Computing Visual Correspondence", ECCV 1994
 */
export function censusLoss<R extends Reduction = 'mean'>(
  x: tf.Tensor,
  y: tf.Tensor,
  options?: CensusLossOptions<R>,
): PixelReduced<R> {
  return censusLossOp(x, y, options) as PixelReduced<R>;
}
