import {
  ArgumentError,
  bernoulliValues,
  checkInteger,
  checkNumber,
  type Key,
  reflectPad,
  ShapeError,
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
  type Range,
} from '../internal/checks';
import { noneApplied } from '../internal/tensors';

/** Options of {@link gaussianBlur}. */
export interface GaussianBlurOptions {
  /** Side of the square kernel, an odd positive integer. Required (SimCLR: about a tenth of the image side). */
  readonly kernelSize: number;
  /** Standard deviation in pixels: a fixed `sigma > 0`, or `[min, max]` drawn per sample. Default `[0.1, 2]`. */
  readonly sigma?: number | readonly [number, number];
  /** Probability of blurring each sample, in [0, 1]. Default 0.5. */
  readonly p?: number;
}

/** Parameters of {@link gaussianBlur}. */
export interface GaussianBlurParams extends AppliedParams {
  /** `[B]` the standard deviation drawn for each sample, in pixels. */
  readonly sigma: Float32Array;
  /** The kernel side used. */
  readonly kernelSize: number;
}

const OP = 'gaussianBlur';

/**
 * The normalised 1-D Gaussian taps `w_j = exp(-((j - r) / sigma)^2 / 2) / sum`, `j = 0 .. 2r`, as
 * torchvision's `_get_gaussian_kernel1d`, written into `out` at `offset` with `stride`.
 */
function gaussianTaps(
  sigma: number,
  kernelSize: number,
  out: Float32Array,
  offset: number,
  stride: number,
): void {
  const radius = (kernelSize - 1) / 2;
  let total = 0;
  const taps = new Float64Array(kernelSize);
  for (let j = 0; j < kernelSize; j++) {
    taps[j] = Math.exp(-0.5 * ((j - radius) / sigma) ** 2);
    total += taps[j]!;
  }
  for (let j = 0; j < kernelSize; j++) out[offset + j * stride] = taps[j]! / total;
}

/**
 * Gaussian blur with a per-sample standard deviation, as torchvision's `GaussianBlur` (reflect
 * padding, separable kernel): `out = K_sigma(b) * x` with `K(i, j) = g(i) g(j)`,
 * `g(t) ∝ exp(-t^2 / (2 sigma^2))`, `t = -r .. r`, `r = (kernelSize - 1) / 2`, applied with probability `p`.
 *
 * Batched: the batch is folded into the channels (`[1, H, W, B C]`) so every sample's kernel runs in one
 * depthwise convolution per direction, a weighted sum of the `kernelSize` shifted slices of the
 * reflect-padded batch; samples not blurred get the identity kernel and come out exactly unchanged.
 *
 * @param options.kernelSize - odd positive integer, at most `2 min(H, W) - 1` for reflect padding
 * @param options.sigma - `sigma > 0` or `[min, max]` with `0 < min <= max`; default `[0.1, 2]`
 * @param options.p - probability in [0, 1], default 0.5
 * @returns an augmentation on float32 `[B, H, W, C]` (1-4 channels)
 * @throws ArgumentError for out-of-range options; ShapeError from `apply` when the images are smaller than the kernel's radius + 1
 * @example
 * ```ts
 * const blur = gaussianBlur({ kernelSize: 9, sigma: [0.1, 2], p: 0.5 });
 * const out = blur.apply(images, blur.sample(createKey(5), 8, { height: 96, width: 96, channels: 3 }));
 * ```
 * @see Chen et al. 2020, SimCLR, appendix A
 */
export function gaussianBlur(options: GaussianBlurOptions): Augmentation<GaussianBlurParams> {
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError({
      op: OP,
      argument: 'options',
      expected: '{ kernelSize, sigma?, p? }',
      actual: String(options),
    });
  }
  const { kernelSize, sigma = [0.1, 2], p = 0.5 } = options;
  checkInteger(kernelSize, { op: OP, arg: 'kernelSize', min: 1 });
  if (kernelSize % 2 !== 1) {
    throw new ArgumentError({
      op: OP,
      argument: 'kernelSize',
      expected: 'an odd positive integer',
      actual: String(kernelSize),
    });
  }
  if (typeof sigma === 'number') checkNumber(sigma, { op: OP, arg: 'sigma', min: 0, exclusiveMin: true });
  const sigmaRange: Range =
    typeof sigma === 'number'
      ? [sigma, sigma]
      : checkRange(OP, 'sigma', sigma, { low: 0, exclusiveLow: true });
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  const radius = (kernelSize - 1) / 2;
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): GaussianBlurParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      const [applyKey, sigmaKey] = splitKey(key, 2) as [Key, Key];
      const sigmas =
        sigmaRange[0] === sigmaRange[1]
          ? new Float32Array(batchSize).fill(sigmaRange[0])
          : uniformValues(sigmaKey, batchSize, sigmaRange[0], sigmaRange[1]);
      return { applied: bernoulliValues(applyKey, batchSize, p), sigma: sigmas, kernelSize };
    },
    apply(images: tf.Tensor4D, params: GaussianBlurParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, ANY_CHANNELS);
      const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
      checkParamLength(OP, 'sigma', params.sigma, B);
      if (params.kernelSize !== kernelSize) {
        throw new ArgumentError({
          op: OP,
          argument: 'params.kernelSize',
          expected: String(kernelSize),
          actual: String(params.kernelSize),
        });
      }
      if (radius > H - 1 || radius > W - 1) {
        throw new ShapeError({
          op: OP,
          argument: 'images',
          message: `${OP}: 'images' are ${H}x${W} but kernelSize ${kernelSize} needs at least ${radius + 1}x${radius + 1} for reflect padding by ${radius}.`,
        });
      }
      if (radius === 0 || noneApplied(params.applied)) return tf.clone(images);
      // Taps [kernelSize, B * C]: filter layout [kh, kw, in, 1] with channel index b * C + c.
      const channels = B * C;
      const taps = new Float32Array(kernelSize * channels);
      for (let b = 0; b < B; b++) {
        for (let c = 0; c < C; c++) {
          const ch = b * C + c;
          if (params.applied[b] === 1) gaussianTaps(params.sigma[b]!, kernelSize, taps, ch, channels);
          else taps[radius * channels + ch] = 1;
        }
      }
      return tf.tidy(OP, () => {
        let t = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, H, W, channels]) as tf.Tensor4D;
        t = tf.depthwiseConv2d(
          reflectPad(t, [0, radius]),
          tf.tensor4d(taps, [1, kernelSize, channels, 1]),
          1,
          'valid',
        );
        t = tf.depthwiseConv2d(
          reflectPad(t, [radius, 0]),
          tf.tensor4d(taps, [kernelSize, 1, channels, 1]),
          1,
          'valid',
        );
        return tf.transpose(tf.reshape(t, [H, W, B, C]), [2, 0, 1, 3]) as tf.Tensor4D;
      });
    },
  };
}
