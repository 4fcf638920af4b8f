import {
  ArgumentError,
  checkBoolean,
  checkImages,
  checkOptions,
  defineOp,
  foldIn,
  type Key,
  ShapeError,
  uniformValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, checkInteger, checkNumber, checkTaskKey } from '../internal/checks';

/** Options of {@link inpaintingTask}. */
export interface InpaintingTaskOptions {
  /** `'central'` (default): the centre square; `'random'`: random blob-shaped regions. */
  readonly region?: 'central' | 'random';
  /**
   * `'central'`: side of the predicted centre region as a fraction of the image side (default 0.5, the
   * paper's 64 of 128); `'random'`: the fraction of pixels in the hole (default 0.25).
   */
  readonly fraction?: number;
  /** Width in pixels of the overlap band around the hole, weighted `overlapWeight` in the loss. Default 4. */
  readonly overlap?: number;
  /** Loss weight of the overlap band relative to the hole. Default 10. */
  readonly overlapWeight?: number;
  /** What fills the hole: `'mean'` (default, each channel's mean over the batch), a number, or one per channel. */
  readonly fill?: 'mean' | number | readonly number[];
  /** `'random'` only: one mask per image (true) or one per batch (default false, as the original). */
  readonly perSample?: boolean;
  /** `'random'` only: the size in pixels of the blobs (cells of the coarse random field). Default `max(2, round(min(H, W) / 4))`. */
  readonly blobSize?: number;
}

/** What {@link inpaintingTask} builds. */
export type InpaintingTask = {
  /** `[B, H, W, C]` the images with the hole filled. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H, W, C]` the clean images. */
  readonly targets: tf.Tensor4D;
  /** `[B, H, W, 1]` 1 inside the hole. */
  readonly hole: tf.Tensor4D;
  /** `[B, H, W, 1]` the loss weights: 1 in the hole, `overlapWeight` in the band, 0 elsewhere. */
  readonly weights: tf.Tensor4D;
};

const OP = 'inpaintingTask';

/** Bilinear upsampling of a coarse `[gh, gw]` field to `[H, W]` (align corners), in float64. */
function upsample(coarse: Float32Array, gh: number, gw: number, H: number, W: number): Float64Array {
  const out = new Float64Array(H * W);
  for (let y = 0; y < H; y++) {
    const fy = H === 1 ? 0 : (y * (gh - 1)) / (H - 1);
    const y0 = Math.min(gh - 2, Math.floor(fy));
    const ty = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = W === 1 ? 0 : (x * (gw - 1)) / (W - 1);
      const x0 = Math.min(gw - 2, Math.floor(fx));
      const tx = fx - x0;
      const at = (r: number, c: number): number => coarse[r * gw + c]!;
      out[y * W + x] =
        (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1)) +
        ty * ((1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1));
    }
  }
  return out;
}

/** A random blob mask with exactly `round(fraction * H * W)` pixels: the top of a smooth random field. */
function randomRegion(key: Key, H: number, W: number, fraction: number, blob: number): Uint8Array {
  const gh = Math.max(2, Math.round(H / blob) + 1);
  const gw = Math.max(2, Math.round(W / blob) + 1);
  const field = upsample(uniformValues(key, gh * gw), gh, gw, H, W);
  const order = Array.from(field.keys()).sort((a, b) => field[b]! - field[a]! || a - b);
  const mask = new Uint8Array(H * W);
  const count = Math.round(fraction * H * W);
  for (let i = 0; i < count; i++) mask[order[i]!] = 1;
  return mask;
}

/** Pixels within `overlap` (Chebyshev distance) of the hole but outside it. */
function band(hole: Uint8Array, H: number, W: number, overlap: number): Uint8Array {
  const out = new Uint8Array(H * W);
  if (overlap === 0) return out;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (hole[y * W + x] === 1) continue;
      search: for (let dy = -overlap; dy <= overlap; dy++)
        for (let dx = -overlap; dx <= overlap; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < H && xx >= 0 && xx < W && hole[yy * W + xx] === 1) {
            out[y * W + x] = 1;
            break search;
          }
        }
    }
  return out;
}

/**
 * The context encoder's task (Pathak et al. 2016): cut a hole, fill it with the mean colour, and ask
 * for the missing pixels. `'central'` follows the paper's default: a centre region of `fraction` of
 * each side is predicted, the filled hole is that region shrunk by `overlap` on every side, and the
 * `overlap` band left visible around the hole is weighted 10x in the loss ({@link inpaintingLoss}).
 * `'random'` draws blob-shaped holes covering exactly `round(fraction * H * W)` pixels (the top of a
 * bilinearly upsampled random field, like the original's thresholded random pattern); its band is
 * every visible pixel within `overlap` of the hole.
 *
 * Departs from the original: the fill is each channel's mean over the batch (or a value you pass)
 * rather than ImageNet's mean; the loss covers the hole and band of a full-size prediction, where the
 * original's generator outputs the centre region only (same pixels, same weights).
 *
 * @param key - draws the random regions (unused, but checked, for `'central'`)
 * @param images - float32 `[B, H, W, C]`
 * @param options - `region`, `fraction`, `overlap` (4), `overlapWeight` (10), `fill` (`'mean'`), `perSample`, `blobSize`
 * @returns `{ inputs, targets, hole, weights }`, see {@link InpaintingTask}
 * @throws ShapeError for bad images; ArgumentError for bad options, or a central hole that the overlap leaves empty
 * @example
 * ```ts
 * const { inputs, targets, weights } = inpaintingTask(createKey(0), images, { overlap: 2 });
 * const loss = inpaintingLoss(generator.apply(inputs) as tf.Tensor4D, targets, weights);
 * ```
 * @see Pathak, Krähenbühl, Donahue, Darrell, Efros 2016, Context encoders, https://arxiv.org/abs/1604.07379
 */
export const inpaintingTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options?: InpaintingTaskOptions): InpaintingTask => {
    checkTaskKey(OP, key);
    const opts = checkOptions(
      options,
      ['region', 'fraction', 'overlap', 'overlapWeight', 'fill', 'perSample', 'blobSize'],
      { op: OP },
    );
    const region = checkChoice(OP, 'region', opts.region ?? 'central', ['central', 'random'] as const);
    const fraction = checkNumber(OP, 'fraction', opts.fraction ?? (region === 'central' ? 0.5 : 0.25), {
      min: 0,
      max: 1,
      exclusiveMin: true,
    });
    const overlap = checkInteger(OP, 'overlap', opts.overlap ?? 4, 0);
    const overlapWeight = checkNumber(OP, 'overlapWeight', opts.overlapWeight ?? 10, { min: 0 });
    const dims = checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
    const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    const fill = opts.fill ?? 'mean';
    if (
      !(
        fill === 'mean' ||
        (typeof fill === 'number' && Number.isFinite(fill)) ||
        (Array.isArray(fill) && fill.length === C && fill.every((v) => Number.isFinite(v)))
      )
    ) {
      throw new ArgumentError({
        op: OP,
        argument: 'fill',
        expected: `'mean', a number, or ${C} numbers (one per channel)`,
        actual: Array.isArray(fill) ? `[${fill.join(',')}]` : String(fill),
      });
    }

    const holes = new Uint8Array(B * H * W);
    const bands = new Uint8Array(B * H * W);
    if (region === 'central') {
      const rh = Math.round(fraction * H);
      const rw = Math.round(fraction * W);
      if (rh - 2 * overlap < 1 || rw - 2 * overlap < 1) {
        throw new ShapeError({
          op: OP,
          argument: 'images',
          expected: `a centre region wider than 2 overlap = ${2 * overlap}`,
          actual: `[${images.shape.join(',')}]`,
          message: `${OP}: the centre region of 'images' [${images.shape.join(',')}] is ${rh}x${rw} (fraction ${fraction}), which leaves no hole inside an overlap band of ${overlap}; use a larger fraction or a smaller overlap.`,
        });
      }
      const top = Math.floor((H - rh) / 2);
      const left = Math.floor((W - rw) / 2);
      const one = new Uint8Array(H * W);
      for (let y = top + overlap; y < top + rh - overlap; y++)
        for (let x = left + overlap; x < left + rw - overlap; x++) one[y * W + x] = 1;
      const ring = band(one, H, W, overlap);
      for (let b = 0; b < B; b++) {
        holes.set(one, b * H * W);
        bands.set(ring, b * H * W);
      }
    } else {
      const perSample = opts.perSample ?? false;
      checkBoolean(perSample, { op: OP, arg: 'perSample' });
      const blob = checkInteger(
        OP,
        'blobSize',
        opts.blobSize ?? Math.max(2, Math.round(Math.min(H, W) / 4)),
        1,
      );
      let shared: [Uint8Array, Uint8Array] | undefined;
      for (let b = 0; b < B; b++) {
        if (!perSample && shared !== undefined) {
          holes.set(shared[0], b * H * W);
          bands.set(shared[1], b * H * W);
          continue;
        }
        const one = randomRegion(perSample ? foldIn(key, b) : key, H, W, fraction, blob);
        const ring = band(one, H, W, overlap);
        shared = [one, ring];
        holes.set(one, b * H * W);
        bands.set(ring, b * H * W);
      }
    }
    const x = images as tf.Tensor4D;
    const hole = tf.tensor4d(Float32Array.from(holes), [B, H, W, 1]);
    const weights = tf.add(hole, tf.mul(tf.tensor4d(Float32Array.from(bands), [B, H, W, 1]), overlapWeight));
    const value =
      fill === 'mean'
        ? tf.mean(x, [0, 1, 2])
        : typeof fill === 'number'
          ? tf.scalar(fill)
          : tf.tensor1d(fill as number[]);
    const inputs = tf.add(tf.mul(x, tf.sub(1, hole)), tf.mul(hole, value));
    return {
      inputs: inputs as tf.Tensor4D,
      targets: tf.clone(x),
      hole,
      weights: weights as tf.Tensor4D,
    };
  },
);
