import {
  ArgumentError,
  bernoulliValues,
  checkNumber,
  foldIn,
  type Key,
  LUMA_WEIGHTS,
  permutationValues,
  splitKey,
  uniformValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import {
  checkApplyArgs,
  checkParamLength,
  checkRange,
  checkSampleArgs,
  type Range,
} from '../internal/checks';
import { grayMatrix, shiftHue } from '../internal/hsv';
import { perSample, selectSamples } from '../internal/tensors';

/** A jitter strength: `b` for factors in `[max(0, 1 - b), 1 + b]`, or an explicit `[min, max]`. */
export type JitterRange = number | readonly [number, number];

/** Options of {@link colorJitter}. Each strength 0 (the default) disables that adjustment. */
export interface ColorJitterOptions {
  /** Brightness: factor `f ~ U[max(0, 1 - b), 1 + b]`, `x * f`. Default 0. */
  readonly brightness?: JitterRange;
  /** Contrast: factor `f`, blend with the image's mean grey level. Default 0. */
  readonly contrast?: JitterRange;
  /** Saturation: factor `f`, blend with the pixel's grey level. Default 0. */
  readonly saturation?: JitterRange;
  /** Hue: shift `~ U[-h, h]` with `h` in [0, 0.5], or `[min, max]` within [-0.5, 0.5]. Default 0. */
  readonly hue?: JitterRange;
  /** Probability of jittering each sample. Default 0.8. */
  readonly p?: number;
}

/** The four adjustments, as numbered in {@link ColorJitterParams.order}. */
export const JITTER_OPS = ['brightness', 'contrast', 'saturation', 'hue'] as const;

/** Parameters of {@link colorJitter}. */
export interface ColorJitterParams extends AppliedParams {
  /** `[B, 4]` row-major: the order of the adjustments for each sample (0 brightness, 1 contrast, 2 saturation, 3 hue). */
  readonly order: Uint8Array;
  /** `[B]` brightness factors (1 = unchanged). */
  readonly brightness: Float32Array;
  /** `[B]` contrast factors (1 = unchanged). */
  readonly contrast: Float32Array;
  /** `[B]` saturation factors (1 = unchanged). */
  readonly saturation: Float32Array;
  /** `[B]` hue shifts, fractions of the colour wheel (0 = unchanged). */
  readonly hue: Float32Array;
}

const OP = 'colorJitter';

function factorRange(name: string, value: JitterRange): Range {
  if (typeof value === 'number') {
    checkNumber(value, { op: OP, arg: name, min: 0 });
    return [Math.max(0, 1 - value), 1 + value];
  }
  return checkRange(OP, name, value, { low: 0 });
}

function hueRange(value: JitterRange): Range {
  if (typeof value === 'number') {
    checkNumber(value, { op: OP, arg: 'hue', min: 0, max: 0.5 });
    return [-value, value];
  }
  return checkRange(OP, 'hue', value, { low: -0.5, high: 0.5 });
}

/** `count` draws from `U[min, max)`, or `min` repeated when the range is a single value. */
function draw(key: Key, count: number, [min, max]: Range): Float32Array {
  return min === max
    ? new Float32Array(count).fill(min === 0 ? 0 : min)
    : uniformValues(key, count, min, max);
}

/**
 * One linear step of the jitter, for every sample at once: `clip(a x + s gray(x) + c, 0, 1)` with
 * per-sample `a`, `s`, `c` (brightness `a = f`; contrast `a = f, c = (1 - f) mean(gray(x))`; saturation
 * `a = f, s = 1 - f`; unchanged `a = 1`). Returns `x` itself when every sample is unchanged.
 */
function linearStep(
  x: tf.Tensor4D,
  ops: Int8Array,
  params: ColorJitterParams,
  rows: readonly number[],
): tf.Tensor4D {
  const n = rows.length;
  const scale = new Float32Array(n).fill(1);
  const grayShare = new Float32Array(n);
  const meanShare = new Float32Array(n);
  const channels = x.shape[3];
  let changed = false;
  let anySaturation = false;
  let anyContrast = false;
  for (let i = 0; i < n; i++) {
    const b = rows[i]!;
    const op = ops[i]!;
    if (op === 0) scale[i] = params.brightness[b]!;
    else if (op === 1) {
      const f = params.contrast[b]!;
      scale[i] = f;
      meanShare[i] = 1 - f;
      anyContrast ||= f !== 1;
    } else if (op === 2 && channels === 3) {
      const f = params.saturation[b]!;
      scale[i] = f;
      grayShare[i] = 1 - f;
      anySaturation ||= f !== 1;
    }
    changed ||= scale[i] !== 1;
  }
  if (!changed) return x;
  const [B, H, W, C] = x.shape;
  let gray: tf.Tensor | undefined;
  let y: tf.Tensor = tf.mul(x, perSample(scale));
  if (anySaturation) {
    gray = tf.reshape(tf.matMul(tf.reshape(x, [B * H * W, 3]), grayMatrix()), [B, H, W, 3]);
    y = tf.add(y, tf.mul(gray, perSample(grayShare)));
  }
  if (anyContrast) {
    // Mean of the grey image per sample: mean over H, W of the channels, weighted by the luma weights.
    // One matrix-vector product: [B, H W C] @ (luma weight of each entry's channel / (H W)).
    const weights = new Float32Array(H * W * C);
    for (let i = 0; i < weights.length; i++) weights[i] = (C === 3 ? LUMA_WEIGHTS[i % 3]! : 1) / (H * W);
    const meanGray = tf.matMul(tf.reshape(x, [B, H * W * C]), tf.tensor2d(weights, [H * W * C, 1]));
    y = tf.add(y, tf.mul(tf.reshape(meanGray, [B, 1, 1, 1]), perSample(meanShare)));
  }
  return tf.clipByValue(y, 0, 1) as tf.Tensor4D;
}

/**
 * Colour jitter with torchvision's `ColorJitter` semantics, per sample: brightness `x f`, contrast
 * `f x + (1 - f) mean(gray(x))`, saturation `f x + (1 - f) gray(x)` (BT.601 grey), each clamped to
 * [0, 1], and hue `h' = (h + shift) mod 1` in HSV, applied in a random order per sample (recorded in
 * `params.order`), to each sample with probability `p`.
 *
 * Batched: each sample's three linear adjustments before its hue shift run as three batched steps,
 * then one HSV round trip for the batch, then the adjustments after the hue shift. On 1-channel images
 * brightness and contrast apply and saturation and hue are no-ops.
 *
 * @param options.brightness - `b >= 0` (factor `U[max(0, 1 - b), 1 + b]`) or `[min, max]`, min >= 0; default 0
 * @param options.contrast - as brightness; default 0
 * @param options.saturation - as brightness; default 0
 * @param options.hue - `h` in [0, 0.5] (shift `U[-h, h]`) or `[min, max]` within [-0.5, 0.5]; default 0
 * @param options.p - probability in [0, 1] per sample; default 0.8
 * @returns an augmentation on float32 `[B, H, W, C]`, `C` 1 or 3, values in [0, 1]
 * @throws ArgumentError for out-of-range options; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
 * const params = jitter.sample(createKey(0), 8, { height: 32, width: 32, channels: 3 });
 * const out = jitter.apply(images, params); // params.order[4 * b .. 4 * b + 3] is sample b's order
 * ```
 * @see Chen et al. 2020, A Simple Framework for Contrastive Learning of Visual Representations (SimCLR), appendix A
 */
export function colorJitter(options: ColorJitterOptions = {}): Augmentation<ColorJitterParams> {
  const { brightness = 0, contrast = 0, saturation = 0, hue = 0, p = 0.8 } = options;
  const ranges = {
    brightness: factorRange('brightness', brightness),
    contrast: factorRange('contrast', contrast),
    saturation: factorRange('saturation', saturation),
    hue: hueRange(hue),
  };
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): ColorJitterParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      const keys = splitKey(key, 6) as [Key, Key, Key, Key, Key, Key];
      const order = new Uint8Array(4 * batchSize);
      for (let b = 0; b < batchSize; b++) {
        // torchvision draws a fresh `randperm(4)` per call, that is per sample here.
        order.set(permutationValues(foldIn(keys[5], b), 4), 4 * b);
      }
      return {
        applied: bernoulliValues(keys[0], batchSize, p),
        order,
        brightness: draw(keys[1], batchSize, ranges.brightness),
        contrast: draw(keys[2], batchSize, ranges.contrast),
        saturation: draw(keys[3], batchSize, ranges.saturation),
        hue: draw(keys[4], batchSize, ranges.hue),
      };
    },
    apply(images: tf.Tensor4D, params: ColorJitterParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, [1, 3]);
      const B = dims.get('B')!;
      const C = dims.get('C')!;
      for (const name of JITTER_OPS) checkParamLength(OP, name, params[name], B);
      checkParamLength(OP, 'order', params.order, 4 * B);
      const { applied } = params;
      if (applied.every((a) => a === 0)) return tf.clone(images);
      return tf.tidy(OP, () => {
        const rows = Array.from({ length: B }, (_, b) => b);
        // Position of the hue shift in each sample's order; 3 (after everything) when no hue shift runs.
        const hueShifts = new Float32Array(B);
        let anyHue = false;
        for (let b = 0; b < B; b++) {
          hueShifts[b] = applied[b] === 1 && C === 3 ? params.hue[b]! : 0;
          anyHue ||= hueShifts[b] !== 0;
        }
        const linearOps = rows.map((b) =>
          Array.from(params.order.subarray(4 * b, 4 * b + 4)).filter((o) => o !== 3),
        );
        const huePosition = rows.map((b) =>
          anyHue ? params.order.subarray(4 * b, 4 * b + 4).indexOf(3) : 3,
        );
        for (const b of rows) {
          if (linearOps[b]!.length !== 3 || huePosition[b]! < 0) {
            throw new ArgumentError({
              op: OP,
              argument: 'params.order',
              expected: 'a permutation of 0, 1, 2, 3 per sample',
              actual: `[${Array.from(params.order.subarray(4 * b, 4 * b + 4)).join(', ')}] for sample ${b}`,
            });
          }
        }
        // -1 = unchanged at this step (not applied, or this linear step is on the other side of the hue shift).
        const stepOps = (step: number, beforeHue: boolean): Int8Array =>
          Int8Array.from(rows, (b) =>
            applied[b] === 1 && step < huePosition[b]! === beforeHue ? linearOps[b]![step]! : -1,
          );
        let x: tf.Tensor4D = images;
        for (let step = 0; step < 3; step++) x = linearStep(x, stepOps(step, true), params, rows);
        if (anyHue) x = shiftHue(x, hueShifts);
        for (let step = 0; step < 3; step++) x = linearStep(x, stepOps(step, false), params, rows);
        return selectSamples(images, x, applied);
      });
    },
  };
}
