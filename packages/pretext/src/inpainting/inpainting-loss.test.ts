import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { inpaintingLoss } from './inpainting-loss';
import { inpaintingTask } from './inpainting-task';

describe('inpaintingLoss', () => {
  it('is the weighted mean of squared errors over the hole and band, by a naive loop', async () => {
    const x = randomImages(1, [2, 12, 12, 2]);
    const prediction = randomImages(2, [2, 12, 12, 2]);
    const { weights, inputs, targets, hole } = inpaintingTask(key(0), x, { overlap: 1 });
    const [p, t, w] = await Promise.all([prediction.data(), x.data(), weights.data()]);
    const naive = [0, 1].map((b) => {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < 144; i++) {
        const wi = w[b * 144 + i]!;
        if (wi > 0) count++;
        for (let c = 0; c < 2; c++) sum += wi * (p[(b * 144 + i) * 2 + c]! - t[(b * 144 + i) * 2 + c]!) ** 2;
      }
      return sum / (count * 2);
    });
    await expectTensorClose(inpaintingLoss(prediction, targets, weights, { reduction: 'none' }), naive);
    await expectTensorClose(inpaintingLoss(prediction, targets, weights), (naive[0]! + naive[1]!) / 2);
    // a perfect prediction inside the region costs nothing, whatever happens outside
    const outside = tf.tidy(() => tf.add(x, tf.mul(tf.cast(tf.equal(weights, 0), 'float32'), 5)));
    expect((await inpaintingLoss(outside, targets, weights).data())[0]).toBe(0);
    tf.dispose([x, prediction, weights, inputs, targets, hole, outside]);
  });

  it('has the gradient of finite differences', async () => {
    const x = randomImages(3, [1, 8, 8, 1]);
    const prediction = randomImages(4, [1, 8, 8, 1]);
    const { weights, inputs, targets, hole } = inpaintingTask(key(0), x, { overlap: 1 });
    await gradCheck((q) => inpaintingLoss(q, targets, weights), [prediction]);
    tf.dispose([x, prediction, weights, inputs, targets, hole]);
  });

  it('checks the weights shape, and leaks nothing', async () => {
    const a = tf.zeros([1, 4, 4, 3]);
    const w = tf.ones([1, 4, 4, 3]);
    expect(() => inpaintingLoss(a, a, w)).toThrow(ShapeError);
    expect(() => inpaintingLoss(a, a, w)).toThrow(
      "inpaintingLoss: 'weights' has shape [1,4,4,3] but expected [B,H,W,1].",
    );
    const w1 = tf.ones([1, 4, 4, 1]);
    await expectNoLeaks(() => inpaintingLoss(a, a, w1));
    tf.dispose([a, w, w1]);
  });
});
