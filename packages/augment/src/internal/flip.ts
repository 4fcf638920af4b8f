import { bernoulliValues, checkNumber, type Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import { boxIndices } from './boxes';
import { ANY_CHANNELS, checkApplyArgs, checkSampleArgs } from './checks';
import { noneApplied } from './tensors';

/**
 * A per-sample flip along `axis` as one `tf.image.cropAndResize` call whose boxes are the identity
 * `[0, 0, 1, 1]` or the mirrored box (`x1 = 1, x2 = 0` for a horizontal flip): every sample point lands
 * exactly on an integer pixel centre, so the copy is exact, and it is several times faster on wasm than
 * `tf.reverse` plus a per-sample select.
 */
export function makeFlip(
  op: string,
  axis: 'horizontal' | 'vertical',
  p: number,
): Augmentation<AppliedParams> {
  checkNumber(p, { op, arg: 'p', min: 0, max: 1 });
  return {
    name: op,
    sample(key: Key, batchSize: number, imageSize: ImageSize): AppliedParams {
      checkSampleArgs(op, key, batchSize, imageSize);
      return { applied: bernoulliValues(key, batchSize, p) };
    },
    apply(images: tf.Tensor4D, params: AppliedParams): tf.Tensor4D {
      const dims = checkApplyArgs(op, images, params, ANY_CHANNELS);
      const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
      if (noneApplied(params.applied)) return tf.clone(images);
      const boxes = new Float32Array(4 * B);
      for (let b = 0; b < B; b++) {
        const flip = params.applied[b] === 1;
        const box =
          axis === 'horizontal' ? (flip ? [0, 1, 1, 0] : [0, 0, 1, 1]) : flip ? [1, 0, 0, 1] : [0, 0, 1, 1];
        boxes.set(box, 4 * b);
      }
      return tf.tidy(op, () =>
        tf.image.cropAndResize(images, tf.tensor2d(boxes, [B, 4]), tf.tensor1d(boxIndices(B), 'int32'), [
          H,
          W,
        ]),
      );
    },
  };
}
