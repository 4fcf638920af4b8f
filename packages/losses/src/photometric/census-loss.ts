import { ArgumentError, checkOptions, defineOp, grayscale, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

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

type Padding3 = [[number, number], [number, number], [number, number]];

/**
 * The soft census distance between two `[B, H, W]` intensity maps over the valid region:
 * `[B, H-2d, W-2d]`, `dist(p) = sum_o f(c_o^x(p) - c_o^y(p))` with `c_o(p) = s(I(p + o) - I(p))`,
 * `s(t) = t / sqrt(0.81 + t^2)` and `f(e) = e^2 / (0.1 + e^2)`.
 *
 * Half the offsets suffice: `t_{-o}(p) = -t_o(p - o)`, `s` is odd and `f` even, so with
 * `F_o(q) = f(e_o(q))`, `dist(p) = sum_{o in half} F_o(p) + F_o(p - o)`; each `F_o` is computed once on
 * the box covering both `p` and `p - o` for the valid `p`.
 *
 * Written as a custom gradient that loops over the offsets and recomputes them in the backward pass,
 * each offset in its own tidy scope: a 7x7 patch at `[4, 192, 640]` would otherwise keep ~50 full-size
 * intermediates per offset for the backward pass (several GB, more than wasm's heap). With
 * `G_o = dF_o` (the incoming gradient placed at `p` and `p - o`) and `a_o = G_o f'(e_o) s'(t_o)`,
 * `dI(q + o) += a_o(q)` and `dI(q) -= a_o(q)`.
 *
 * Rank 3 on purpose: tfjs 4.22 wasm slices a `[B, H, W, 1]` tensor one pixel at a time (about 25x
 * slower than the row-wise copy of `[B, H, W]`), and pads it about 50x slower.
 */
function censusDistance(ix: tf.Tensor3D, iy: tf.Tensor3D, radius: number): tf.Tensor3D {
  const [batch, height, width] = ix.shape;
  const validHeight = height - 2 * radius;
  const validWidth = width - 2 * radius;
  /** One half-offset `o` (`oy > 0`, or `oy = 0` and `ox > 0`) and its box, in image coordinates. */
  interface Half {
    readonly oy: number;
    readonly ox: number;
    readonly top: number;
    readonly left: number;
    readonly boxHeight: number;
    readonly boxWidth: number;
  }
  const halves: Half[] = [];
  for (let oy = 0; oy <= radius; oy++) {
    for (let ox = -radius; ox <= radius; ox++) {
      if (oy === 0 && ox <= 0) continue;
      // The box holds q in V (the valid region) and q in V - o: rows [d - oy, H - d), columns
      // [d - max(ox, 0), W - d - min(ox, 0)).
      halves.push({
        oy,
        ox,
        top: radius - oy,
        left: radius - Math.max(ox, 0),
        boxHeight: validHeight + oy,
        boxWidth: validWidth + Math.abs(ox),
      });
    }
  }
  /** `1 / sqrt(0.81 + t_o^2)` and `s(t_o)` of one image on the box of one half-offset. */
  const soft = (intensities: tf.Tensor3D, h: Half) => {
    const size = [-1, h.boxHeight, h.boxWidth];
    const centre = tf.slice(intensities, [0, h.top, h.left], size);
    const neighbour = tf.slice(intensities, [0, h.top + h.oy, h.left + h.ox], size);
    const t = tf.sub(neighbour, centre); // [B, hb, wb]
    const inverseNorm = tf.rsqrt(tf.add(tf.square(t), TERNARY_SCALE));
    return { inverseNorm, c: tf.mul(t, inverseNorm) };
  };
  /** Where `p` (first) and `p - o` (second) sit in the box: row and column offsets of the valid region. */
  const placements = (h: Half): [[number, number], [number, number]] => [
    [h.oy, Math.max(h.ox, 0)],
    [0, Math.max(-h.ox, 0)],
  ];
  const distanceOp = tf.customGrad((...args) => {
    const [x, y] = args as [tf.Tensor3D, tf.Tensor3D];
    const save = args[2] as tf.GradSaveFunc;
    save([x, y]);
    let distance: tf.Tensor = tf.zeros([batch, validHeight, validWidth]);
    for (const h of halves) {
      const next = tf.tidy(() => {
        const e2 = tf.square(tf.sub(soft(x, h).c, soft(y, h).c));
        const f = tf.div(e2, tf.add(e2, HAMMING_SCALE)); // [B, hb, wb]
        const [[r1, c1], [r2, c2]] = placements(h);
        const atP = tf.slice(f, [0, r1, c1], [-1, validHeight, validWidth]);
        const atPMinusO = tf.slice(f, [0, r2, c2], [-1, validHeight, validWidth]);
        return tf.add(distance, tf.add(atP, atPMinusO));
      });
      distance.dispose();
      distance = next;
    }
    return {
      value: distance,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [keptX, keptY] = saved as [tf.Tensor3D, tf.Tensor3D];
        let gradX: tf.Tensor = tf.zeros(keptX.shape);
        let gradY: tf.Tensor = tf.zeros(keptY.shape);
        for (const h of halves) {
          const [nextX, nextY] = tf.tidy(() => {
            const sx = soft(keptX, h);
            const sy = soft(keptY, h);
            const e = tf.sub(sx.c, sy.c);
            // dF_o: the incoming gradient at p and at p - o, in box coordinates.
            const [[r1, c1], [r2, c2]] = placements(h);
            const place = (r: number, c: number): tf.Tensor =>
              tf.pad(dy, [
                [0, 0],
                [r, h.boxHeight - validHeight - r],
                [c, h.boxWidth - validWidth - c],
              ]);
            const dF = tf.add(place(r1, c1), place(r2, c2)); // [B, hb, wb]
            // f'(e) = 0.2 e / (0.1 + e^2)^2 and s'(t) = 0.81 / (0.81 + t^2)^(3/2) = 0.81 inverseNorm^3.
            const fPrime = tf.div(
              tf.mul(e, 2 * HAMMING_SCALE),
              tf.square(tf.add(tf.square(e), HAMMING_SCALE)),
            );
            const gf = tf.mul(tf.mul(dF, fPrime), TERNARY_SCALE); // [B, hb, wb]
            const cube = (v: tf.Tensor): tf.Tensor => tf.mul(v, tf.square(v));
            const ax = tf.mul(gf, cube(sx.inverseNorm)); // x's transform enters e with +
            const ay = tf.neg(tf.mul(gf, cube(sy.inverseNorm))); // y's with -
            const at = (top: number, left: number): Padding3 => [
              [0, 0],
              [top, height - top - h.boxHeight],
              [left, width - left - h.boxWidth],
            ];
            // t(q) = I(q + o) - I(q): +a at q + o, -a at q.
            const scatter = (a: tf.Tensor): tf.Tensor =>
              tf.sub(tf.pad(a, at(h.top + h.oy, h.left + h.ox)), tf.pad(a, at(h.top, h.left)));
            return [tf.add(gradX, scatter(ax)), tf.add(gradY, scatter(ay))];
          });
          tf.dispose([gradX, gradY]);
          gradX = nextX as tf.Tensor;
          gradY = nextY as tf.Tensor;
        }
        return [gradX, gradY];
      },
    };
  });
  return distanceOp(ix, iy) as tf.Tensor3D;
}

const censusLossOp = defineOp(OP, (x: tf.Tensor, y: tf.Tensor, options: CensusLossOptions | undefined) => {
  checkOptions(options, ['patchSize', 'mask', 'reduction'], { op: OP });
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
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const intensities = (image: tf.Tensor4D): tf.Tensor3D => {
    const gray = channels === 3 ? grayscale(image) : image; // BT.601
    return tf.reshape(tf.mul(gray, 255), [batch, height, width]); // rank 3: fast slices on wasm
  };
  const distance = censusDistance(intensities(x), intensities(y), radius); // [B, h, w]
  const robust = tf.pow(tf.add(tf.square(distance), CHARBONNIER_EPS ** 2), CHARBONNIER_ALPHA);
  const padding: [number, number][] = [
    [0, 0],
    [radius, radius],
    [radius, radius],
  ];
  const full: [number, number, number, number] = [batch, height, width, 1];
  let map = tf.reshape(tf.pad(robust, padding), full) as tf.Tensor4D; // [B, H, W, 1], 0 on the border
  let weight: tf.Tensor = tf.reshape(tf.pad(tf.onesLike(robust), padding), full); // the border mask
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
 * loss there is the Charbonnier floor `0.001^0.9 ~ 0.002`, not 0.
 *
 * Computed with whole-image tensor ops per offset (no per-pixel loop), for half of the `P^2 - 1` offsets
 * (the other half is the same values shifted, since the transform is odd and the distance even), with a
 * hand-written gradient that recomputes each offset in the backward pass, so memory stays a few
 * full-size maps whatever the patch size. Measured on wasm (Node 20, 2 shared cores), `[4, 192, 640, 3]`,
 * 7x7: about 0.25 s forward, 0.65 s forward and backward.
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
