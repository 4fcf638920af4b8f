import { bernoulliValues, type Key, LUMA_WEIGHTS } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Gathers square patches `[P, size, size, C]` from `images` `[B, H, W, C]`: patch `i` comes from
 * sample `sources[i]` with its top-left pixel at `(tops[i], lefts[i])`. Exact (an integer gather).
 */
export function gatherPatches(
  images: tf.Tensor4D,
  sources: ArrayLike<number>,
  tops: ArrayLike<number>,
  lefts: ArrayLike<number>,
  size: number,
): tf.Tensor4D {
  const [, H, W, C] = images.shape;
  const count = sources.length;
  const index = new Int32Array(count * size * size);
  let n = 0;
  for (let i = 0; i < count; i++) {
    for (let r = 0; r < size; r++) {
      const row = (sources[i]! * H + tops[i]! + r) * W + lefts[i]!;
      for (let c = 0; c < size; c++) index[n++] = row + c;
    }
  }
  const flat = tf.reshape(images, [-1, C]);
  return tf.reshape(tf.gather(flat, tf.tensor1d(index, 'int32')), [count, size, size, C]);
}

/** Per-sample grey flags drawn from `key` with probability `p`; all 0 unless `channels` is 3. */
export function grayFlags(key: Key, batch: number, p: number, channels: number): Uint8Array {
  return channels === 3 && p > 0 ? bernoulliValues(key, batch, p) : new Uint8Array(batch);
}

/** Replaces the flagged samples of `[B, H, W, 3]` by their BT.601 grey in all three channels. */
export function grayWhere(images: tf.Tensor4D, flags: Uint8Array): tf.Tensor4D {
  if (!flags.some((f) => f === 1)) return images;
  const gray = tf.sum(tf.mul(images, tf.tensor1d(LUMA_WEIGHTS as unknown as number[])), -1, true);
  const mask = tf.reshape(tf.tensor1d(flags, 'bool'), [-1, 1, 1, 1]);
  return tf.where(tf.broadcastTo(mask, images.shape), tf.broadcastTo(gray, images.shape), images);
}

/**
 * Standardises each patch and channel by its own mean and (population) standard deviation over the
 * spatial axes, `(x - mean) / std`; a standard deviation below 1e-6 (a flat patch) counts as 1, as the
 * authors' code replaces a zero one by 1. `axes` are the spatial axes of `x`.
 */
export function standardizePatches(x: tf.Tensor, axes: number[]): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  const std = tf.sqrt(variance);
  const safe = tf.where(tf.less(std, 1e-6), tf.onesLike(std), std);
  return tf.div(tf.sub(x, mean), safe);
}
