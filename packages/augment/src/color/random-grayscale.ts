import { bernoulliValues, checkNumber, type Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import { checkApplyArgs, checkSampleArgs } from '../internal/checks';
import { grayMatrix } from '../internal/hsv';
import { noneApplied, selectSamples } from '../internal/tensors';

/** Options of {@link randomGrayscale}. */
export interface RandomGrayscaleOptions {
  /** Probability of converting each sample, in [0, 1]. Default 0.2. */
  readonly p?: number;
}

const OP = 'randomGrayscale';

/**
 * Converts each sample to grey with probability `p`, keeping the channel count (torchvision's
 * `RandomGrayscale`): `Y = 0.299 R + 0.587 G + 0.114 B` written to all three channels. A no-op on
 * 1-channel images.
 *
 * @param options.p - probability in [0, 1], default 0.2
 * @returns an augmentation on float32 `[B, H, W, C]`, `C` 1 or 3; params `{ applied: Uint8Array }` `[B]`
 * @throws ArgumentError for `p` outside [0, 1]; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const gray = randomGrayscale({ p: 0.2 });
 * const out = gray.apply(images, gray.sample(createKey(3), 8, { height: 32, width: 32, channels: 3 }));
 * ```
 * @see Chen et al. 2020, SimCLR, appendix A (colour dropping)
 */
export function randomGrayscale({ p = 0.2 }: RandomGrayscaleOptions = {}): Augmentation<AppliedParams> {
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  return {
    name: OP,
    sample(key: Key, batchSize: number, imageSize: ImageSize): AppliedParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      return { applied: bernoulliValues(key, batchSize, p) };
    },
    apply(images: tf.Tensor4D, params: AppliedParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, [1, 3]);
      if (dims.get('C') === 1 || noneApplied(params.applied)) return tf.clone(images);
      const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
      return tf.tidy(OP, () => {
        const gray = tf.reshape(tf.matMul(tf.reshape(images, [B * H * W, 3]), grayMatrix()), [B, H, W, 3]);
        return selectSamples(images, gray as tf.Tensor4D, params.applied);
      });
    },
  };
}
