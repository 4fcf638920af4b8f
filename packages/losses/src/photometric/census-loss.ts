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
 * The soft census distance between the two halves of a stacked `[2B, H, W, 1]` intensity tensor (the
 * first `B` images against the last `B`), over the valid region: `[B, H-2d, W-2d, 1]`,
 * `dist(p) = sum_o f(c_o^x(p) - c_o^y(p))` with `c_o(p) = s(I(p + o) - I(p))`, `s(t) = t / sqrt(0.81 + t^2)`
 * and `f(e) = e^2 / (0.1 + e^2)`.
 *
 * Written as a custom gradient that loops over the `P^2 - 1` offsets and recomputes them in the
 * backward pass, each offset in its own tidy scope: a 7x7 patch at `[4, 192, 640]` would otherwise keep
 * ~50 full-size intermediates per offset for the backward pass (several GB, more than wasm's heap).
 * With `a_o = g f'(e_o) s'(t_o)` (`g` the incoming gradient), `dI(q) = sum_o a_o(q - o) - sum_o a_o(q)`.
 */
function censusDistance(stacked: tf.Tensor4D, radius: number): tf.Tensor4D {
  const [doubled, height, width] = stacked.shape;
  const batch = doubled / 2;
  const validHeight = height - 2 * radius;
  const validWidth = width - 2 * radius;
  const offsets: [number, number][] = [];
  for (let oy = -radius; oy <= radius; oy++) {
    for (let ox = -radius; ox <= radius; ox++) if (oy !== 0 || ox !== 0) offsets.push([oy, ox]);
  }
  const window = (t: tf.Tensor4D, oy: number, ox: number): tf.Tensor4D =>
    tf.slice(t, [0, radius + oy, radius + ox, 0], [-1, validHeight, validWidth, -1]);
  /** `t_o`, `s(t_o)` and `e_o` for one offset. */
  const offsetTerms = (intensities: tf.Tensor4D, centre: tf.Tensor4D, oy: number, ox: number) => {
    const t = tf.sub(window(intensities, oy, ox), centre); // [2B, h, w, 1]
    const inverseNorm = tf.rsqrt(tf.add(tf.square(t), TERNARY_SCALE));
    const [cx, cy] = tf.split(tf.mul(t, inverseNorm), 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    return { inverseNorm, e: tf.sub(cx, cy) };
  };
  const distanceOp = tf.customGrad((...args) => {
    const intensities = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    save([intensities]);
    const centre = window(intensities, 0, 0);
    let distance: tf.Tensor = tf.zeros([batch, validHeight, validWidth, 1]);
    for (const [oy, ox] of offsets) {
      const next = tf.tidy(() => {
        const { e } = offsetTerms(intensities, centre, oy, ox);
        const e2 = tf.square(e);
        return tf.add(distance, tf.div(e2, tf.add(e2, HAMMING_SCALE)));
      });
      distance.dispose();
      distance = next;
    }
    centre.dispose();
    return {
      value: distance,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [kept] = saved as [tf.Tensor4D];
        const centreOf = window(kept, 0, 0);
        let shifted: tf.Tensor = tf.zeros(kept.shape);
        let central: tf.Tensor = tf.zeros(centreOf.shape);
        for (const [oy, ox] of offsets) {
          const [nextShifted, nextCentral] = tf.tidy(() => {
            const { inverseNorm, e } = offsetTerms(kept, centreOf, oy, ox);
            const e2 = tf.square(e);
            // f'(e) = 0.2 e / (0.1 + e^2)^2 and s'(t) = 0.81 / (0.81 + t^2)^(3/2) = 0.81 inverseNorm^3.
            const fPrime = tf.div(tf.mul(e, 2 * HAMMING_SCALE), tf.square(tf.add(e2, HAMMING_SCALE)));
            const gf = tf.mul(dy, fPrime); // [B, h, w, 1]
            const signed = tf.concat([gf, tf.neg(gf)], 0); // x's transform enters e with +, y's with -
            const a = tf.mul(tf.mul(signed, tf.pow(inverseNorm, 3)), TERNARY_SCALE); // [2B, h, w, 1]
            const placed = tf.pad(a, [
              [0, 0],
              [radius + oy, radius - oy],
              [radius + ox, radius - ox],
              [0, 0],
            ]);
            return [tf.add(shifted, placed), tf.add(central, a)];
          });
          tf.dispose([shifted, central]);
          shifted = nextShifted as tf.Tensor;
          central = nextCentral as tf.Tensor;
        }
        const gradient = tf.sub(
          shifted,
          tf.pad(central, [
            [0, 0],
            [radius, radius],
            [radius, radius],
            [0, 0],
          ]),
        );
        return [gradient];
      },
    };
  });
  return distanceOp(stacked) as tf.Tensor4D;
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
  const channels = x.shape[3];
  const both = tf.concat([x, y], 0) as tf.Tensor4D; // [2B, H, W, C]: one transform pass for both images
  const gray = channels === 3 ? grayscale(both) : both; // BT.601
  const distance = censusDistance(tf.mul(gray, 255) as tf.Tensor4D, radius); // [B, h, w, 1]
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
 * loss there is the Charbonnier floor `0.001^0.9 ~ 0.002`, not 0. Both images go through one pass of
 * whole-image tensor ops per offset (no per-pixel loop), with a hand-written gradient that recomputes
 * each offset in the backward pass, so memory stays a few full-size maps whatever the patch size.
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
