import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { extractFeatures } from './extract-features';

// A toy dataset: image i is filled with the value i; the encoder returns [mean, 2 * mean] per image.
const images = (indices: number[]): tf.Tensor4D =>
  tf.mul(tf.ones([indices.length, 2, 2, 1]), tf.reshape(tf.tensor1d(indices), [-1, 1, 1, 1])) as tf.Tensor4D;
const encoder = (x: tf.Tensor4D): tf.Tensor2D => {
  const mean = tf.mean(x, [1, 2, 3]);
  return tf.stack([mean, tf.mul(mean, 2)], 1) as tf.Tensor2D;
};

describe('extractFeatures', () => {
  it('runs the encoder over every example in order, in batches', async () => {
    const calls: number[][] = [];
    const features = await extractFeatures(
      encoder,
      (idx) => {
        calls.push(idx);
        return images(idx);
      },
      7,
      {
        batchSize: 3,
      },
    );
    expect(calls).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    await expectTensorClose(
      features,
      Array.from({ length: 7 }, (_, i) => [i, 2 * i]),
    );
    features.dispose();
  });

  it('a single batch gives the same result', async () => {
    const features = await extractFeatures(encoder, images, 5);
    await expectTensorClose(
      features,
      Array.from({ length: 5 }, (_, i) => [i, 2 * i]),
    );
    features.dispose();
  });

  it('leaks nothing, also when the encoder returns a wrong shape', async () => {
    await expectNoLeaks(() => extractFeatures(encoder, images, 10, { batchSize: 4 }));
    await expectNoLeaks(async () => {
      const bad = (x: tf.Tensor4D): tf.Tensor2D =>
        (x.shape[0] === 2 ? tf.zeros([1, 2]) : encoder(x)) as tf.Tensor2D;
      await expect(extractFeatures(bad, images, 10, { batchSize: 4 })).rejects.toThrow(
        "extractFeatures: 'encoder' returned [1,2] for a batch of 2 images starting at 8; expected [2,2].",
      );
    });
  });

  it('names bad arguments', async () => {
    await expect(extractFeatures(encoder, images, 0)).rejects.toThrow(
      "extractFeatures: 'count' is 0 but expected an integer >= 1.",
    );
    await expect(extractFeatures(encoder, images, 3, { batchSize: 1.5 })).rejects.toThrow(
      "extractFeatures: 'batchSize' is 1.5 but expected an integer >= 1.",
    );
    await expect(extractFeatures(null as never, images, 3)).rejects.toThrow(
      "extractFeatures: 'encoder' is null but expected a function.",
    );
  });
});
