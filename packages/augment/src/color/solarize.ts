import { bernoulliValues, checkNumber, type Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import { ANY_CHANNELS, checkApplyArgs, checkSampleArgs } from '../internal/checks';
import { noneApplied, perSample } from '../internal/tensors';

/** Options of {@link solarize}. */
export interface SolarizeOptions {
  /** Pixels at or above the threshold are inverted, in [0, 1]. Default 0.5. */
  readonly threshold?: number;
  /** Probability of solarizing each sample, in [0, 1]. Default 0.5. */
  readonly p?: number;
}

const OP = 'solarize';

/**
 * Solarization with probability `p` per sample, as torchvision's `RandomSolarize`:
 * `out = x >= threshold ? 1 - x : x` on every channel.
 *
 * @param options.threshold - in [0, 1], default 0.5
 * @param options.p - probability in [0, 1], default 0.5
 * @returns an augmentation on float32 `[B, H, W, C]` (1-4 channels); params `{ applied: Uint8Array }` `[B]`
 * @throws ArgumentError for options out of range; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const sol = solarize({ p: 0.2 });
 * const out = sol.apply(images, sol.sample(createKey(4), 8, { height: 32, width: 32, channels: 3 }));
 * ```
 * @see Grill et al. 2020, Bootstrap Your Own Latent (BYOL), table 6
 */
export function solarize({ threshold = 0.5, p = 0.5 }: SolarizeOptions = {}): Augmentation<AppliedParams> {
  checkNumber(threshold, { op: OP, arg: 'threshold', min: 0, max: 1 });
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): AppliedParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      return { applied: bernoulliValues(key, batchSize, p) };
    },
    apply(images: tf.Tensor4D, params: AppliedParams): tf.Tensor4D {
      checkApplyArgs(OP, images, params, ANY_CHANNELS);
      if (noneApplied(params.applied)) return tf.clone(images);
      return tf.tidy(OP, () => {
        // m = 1 where inverted; x (1 - m) + (1 - x) m is exact at both ends.
        const m = tf.mul(tf.cast(tf.greaterEqual(images, threshold), 'float32'), perSample(params.applied));
        return tf.add(tf.mul(images, tf.sub(1, m)), tf.mul(tf.sub(1, images), m)) as tf.Tensor4D;
      });
    },
  };
}
