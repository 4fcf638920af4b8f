import {
  ArgumentError,
  bernoulliValues,
  checkNumber,
  type Key,
  splitKey,
  uniformValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import {
  ANY_CHANNELS,
  checkApplyArgs,
  checkParamLength,
  checkRange,
  checkSampleArgs,
} from '../internal/checks';
import { roundHalfEven } from '../internal/random';
import { noneApplied } from '../internal/tensors';

/** Options of {@link randomErasing}. */
export interface RandomErasingOptions {
  /** Probability of erasing a box in each sample, in [0, 1]. Default 0.5. */
  readonly p?: number;
  /** Range of the box's area as a fraction of the image's, `0 < min <= max <= 1`. Default `[0.02, 0.33]`. */
  readonly scale?: readonly [number, number];
  /** Range of the box's aspect ratio height/width, `0 < min <= max`. Default `[0.3, 3.3]`. */
  readonly ratio?: readonly [number, number];
  /** Fill value: one number for every channel, or one per channel. Default 0. */
  readonly value?: number | readonly number[];
}

/** Parameters of {@link randomErasing}: one box per sample (empty where not applied). */
export interface RandomErasingParams extends AppliedParams {
  /** `[B]` first row of each box. */
  readonly top: Int32Array;
  /** `[B]` first column of each box. */
  readonly left: Int32Array;
  /** `[B]` box heights (0 where not applied). */
  readonly height: Int32Array;
  /** `[B]` box widths (0 where not applied). */
  readonly width: Int32Array;
}

const OP = 'randomErasing';
const ATTEMPTS = 10;

/**
 * Random erasing (Zhong et al.), as torchvision's `RandomErasing`: with probability `p`, a box of area
 * `s H W`, `s ~ U[scale]`, aspect `h/w = exp(U[log ratio])`, `h = round(sqrt(s H W r))`,
 * `w = round(sqrt(s H W / r))`, placed uniformly, is filled with `value`. After 10 attempts with no box
 * strictly inside the image the sample is left unchanged and recorded as not applied.
 *
 * @param options.p - probability in [0, 1], default 0.5
 * @param options.scale - area fraction range, default `[0.02, 0.33]`
 * @param options.ratio - aspect ratio range, default `[0.3, 3.3]`
 * @param options.value - fill value(s), default 0
 * @returns an augmentation on float32 `[B, H, W, C]` (1-4 channels)
 * @throws ArgumentError for out-of-range options or a `value` array whose length is not `C`
 * @example
 * ```ts
 * const erase = randomErasing({ p: 0.5 });
 * const out = erase.apply(images, erase.sample(createKey(7), 8, { height: 32, width: 32, channels: 3 }));
 * ```
 * @see Zhong et al. 2020, Random Erasing Data Augmentation
 */
export function randomErasing(options: RandomErasingOptions = {}): Augmentation<RandomErasingParams> {
  const { p = 0.5, scale = [0.02, 0.33], ratio = [0.3, 3.3], value = 0 } = options;
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  const scaleRange = checkRange(OP, 'scale', scale, { low: 0, high: 1, exclusiveLow: true });
  const ratioRange = checkRange(OP, 'ratio', ratio, { low: 0, exclusiveLow: true });
  const values = typeof value === 'number' ? [value] : Array.isArray(value) ? [...value] : [Number.NaN];
  if (values.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'value',
      expected: 'a number or one number per channel',
      actual: '[]',
    });
  }
  for (const v of values) checkNumber(v, { op: OP, arg: 'value' });
  const logRatio = [Math.log(ratioRange[0]), Math.log(ratioRange[1])] as const;
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): RandomErasingParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      const [applyKey, boxKey] = splitKey(key, 2) as [Key, Key];
      const applied = bernoulliValues(applyKey, batchSize, p);
      const u = uniformValues(boxKey, batchSize * 4 * ATTEMPTS);
      const { height: H, width: W } = imageSize;
      const params = {
        applied,
        top: new Int32Array(batchSize),
        left: new Int32Array(batchSize),
        height: new Int32Array(batchSize),
        width: new Int32Array(batchSize),
      };
      for (let b = 0; b < batchSize; b++) {
        if (applied[b] !== 1) continue;
        applied[b] = 0;
        for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
          const o = (b * ATTEMPTS + attempt) * 4;
          const area = H * W * (scaleRange[0] + (scaleRange[1] - scaleRange[0]) * u[o]!);
          const aspect = Math.exp(logRatio[0] + (logRatio[1] - logRatio[0]) * u[o + 1]!);
          const h = roundHalfEven(Math.sqrt(area * aspect));
          const w = roundHalfEven(Math.sqrt(area / aspect));
          if (!(h < H && w < W) || h === 0 || w === 0) continue;
          params.top[b] = Math.floor(u[o + 2]! * (H - h + 1));
          params.left[b] = Math.floor(u[o + 3]! * (W - w + 1));
          params.height[b] = h;
          params.width[b] = w;
          applied[b] = 1;
          break;
        }
      }
      return params;
    },
    apply(images: tf.Tensor4D, params: RandomErasingParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, ANY_CHANNELS);
      const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
      for (const name of ['top', 'left', 'height', 'width'] as const)
        checkParamLength(OP, name, params[name], B);
      if (values.length !== 1 && values.length !== C) {
        throw new ArgumentError({
          op: OP,
          argument: 'value',
          message: `${OP}: 'value' has ${values.length} entries but 'images' have ${C} channels; give one number or one per channel.`,
        });
      }
      if (noneApplied(params.applied)) return tf.clone(images);
      // keep = 0 inside each box, fill = value there: out = x keep + fill (exact on both sides).
      const keep = new Float32Array(B * H * W * C).fill(1);
      const fill = new Float32Array(B * H * W * C);
      for (let b = 0; b < B; b++) {
        if (params.applied[b] !== 1) continue;
        const [top, left] = [params.top[b]!, params.left[b]!];
        const [bottom, right] = [Math.min(H, top + params.height[b]!), Math.min(W, left + params.width[b]!)];
        for (let y = top; y < bottom; y++) {
          for (let x = left; x < right; x++) {
            const base = ((b * H + y) * W + x) * C;
            for (let c = 0; c < C; c++) {
              keep[base + c] = 0;
              fill[base + c] = values.length === 1 ? values[0]! : values[c]!;
            }
          }
        }
      }
      return tf.tidy(
        OP,
        () =>
          tf.add(
            tf.mul(images, tf.tensor4d(keep, [B, H, W, C])),
            tf.tensor4d(fill, [B, H, W, C]),
          ) as tf.Tensor4D,
      );
    },
  };
}
