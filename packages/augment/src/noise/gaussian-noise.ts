import {
  bernoulliValues,
  checkKey,
  checkNumber,
  foldIn,
  type Key,
  normalValues,
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
import { noneApplied, selectSamples } from '../internal/tensors';

/** Options of {@link gaussianNoise}. */
export interface GaussianNoiseOptions {
  /** Noise standard deviation: a fixed `std >= 0`, or `[min, max]` drawn per sample. Default 0.1. */
  readonly std?: number | readonly [number, number];
  /** Probability of adding noise to each sample, in [0, 1]. Default 0.5. */
  readonly p?: number;
}

/** Parameters of {@link gaussianNoise}. */
export interface GaussianNoiseParams extends AppliedParams {
  /** `[B]` the noise standard deviation of each sample. */
  readonly std: Float32Array;
  /** The key of the noise: sample `b`'s noise is `normalValues(foldIn(noiseKey, b), H * W * C)`. */
  readonly noiseKey: Key;
}

const OP = 'gaussianNoise';

/**
 * Additive Gaussian noise, clipped to the image range, with probability `p` per sample:
 * `out = clip(x + std_b z, 0, 1)`, `z ~ N(0, 1)` per pixel and channel (the corruption of a
 * denoising autoencoder). The noise is drawn from `params.noiseKey`, so params stay small and replayable.
 *
 * @param options.std - `std >= 0` or `[min, max]` with `0 <= min <= max`; default 0.1
 * @param options.p - probability in [0, 1], default 0.5
 * @returns an augmentation on float32 `[B, H, W, C]` (1-4 channels), values in [0, 1]
 * @throws ArgumentError for out-of-range options; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const noise = gaussianNoise({ std: 0.2, p: 1 });
 * const noisy = noise.apply(images, noise.sample(createKey(6), 8, { height: 28, width: 28, channels: 1 }));
 * ```
 * @see Vincent et al. 2008, Extracting and composing robust features with denoising autoencoders
 */
export function gaussianNoise({
  std = 0.1,
  p = 0.5,
}: GaussianNoiseOptions = {}): Augmentation<GaussianNoiseParams> {
  if (typeof std === 'number') checkNumber(std, { op: OP, arg: 'std', min: 0 });
  const stdRange: Range = typeof std === 'number' ? [std, std] : checkRange(OP, 'std', std, { low: 0 });
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): GaussianNoiseParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      const [applyKey, stdKey, noiseKey] = splitKey(key, 3) as [Key, Key, Key];
      const stds =
        stdRange[0] === stdRange[1]
          ? new Float32Array(batchSize).fill(stdRange[0])
          : uniformValues(stdKey, batchSize, stdRange[0], stdRange[1]);
      return { applied: bernoulliValues(applyKey, batchSize, p), std: stds, noiseKey };
    },
    apply(images: tf.Tensor4D, params: GaussianNoiseParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, ANY_CHANNELS);
      const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
      checkParamLength(OP, 'std', params.std, B);
      checkKey(params.noiseKey, OP, 'params.noiseKey');
      if (noneApplied(params.applied)) return tf.clone(images);
      const size = H * W * C;
      const noise = new Float32Array(B * size);
      for (let b = 0; b < B; b++) {
        if (params.applied[b] === 1 && params.std[b] !== 0) {
          noise.set(normalValues(foldIn(params.noiseKey, b), size, 0, params.std[b]!), b * size);
        }
      }
      return tf.tidy(OP, () => {
        const noisy = tf.clipByValue(tf.add(images, tf.tensor4d(noise, [B, H, W, C])), 0, 1) as tf.Tensor4D;
        return selectSamples(images, noisy, params.applied);
      });
    },
  };
}
