import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomImages } from '../../test/helpers';
import { AB_BIN_COUNT, abBins } from './ab-bins';
import { annealedMean } from './annealed-mean';
import { colorizationLoss } from './colorization-loss';
import { softEncodeAb } from './soft-encode-ab';

const Q = AB_BIN_COUNT;

describe('colorizationLoss', () => {
  it('is the weighted cross-entropy of a naive loop', async () => {
    const logits = tf.tidy(() => tf.mul(randomImages(1, [2, 1, 2, Q]), 4));
    const ab = tf.tensor4d([5, 5, -30, 40, 60, -20, 0, 1], [2, 1, 2, 2]);
    const targets = softEncodeAb(ab);
    const weights = tf.tidy(() => tf.add(randomImages(2, [1, 1, 1, Q]).reshape([Q]), 0.5));
    const [z, t, w] = await Promise.all([logits.data(), targets.data(), weights.data()]);
    const naive: number[] = [];
    for (let n = 0; n < 4; n++) {
      const row = Array.from(z.subarray(n * Q, (n + 1) * Q));
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      let ce = 0;
      let best = 0;
      for (let q = 0; q < Q; q++) {
        ce -= t[n * Q + q]! * (row[q]! - lse);
        if (t[n * Q + q]! > t[n * Q + best]!) best = q;
      }
      naive.push(ce * w[best]!);
    }
    const none = colorizationLoss(logits, targets, { weights, reduction: 'none' });
    expect(none.shape).toEqual([2, 1, 2, 1]);
    await expectTensorClose(none, tf.tensor(naive, [2, 1, 2, 1]), { rtol: 1e-4, atol: 1e-4 });
    await expectTensorClose(
      colorizationLoss(logits, targets, { weights }),
      naive.reduce((a, v) => a + v) / 4,
      {
        rtol: 1e-4,
        atol: 1e-4,
      },
    );
    // per-image weights: a 0 drops the image
    const sampleWeights = tf.tensor1d([0, 2]);
    await expectTensorClose(
      colorizationLoss(logits, targets, { weights, sampleWeights, reduction: 'sum' }),
      2 * (naive[2]! + naive[3]!),
      { rtol: 1e-4, atol: 1e-4 },
    );
    tf.dispose([logits, ab, targets, weights, none, sampleWeights]);
  });

  it('has the gradient of finite differences', async () => {
    const logits = tf.tidy(() => tf.mul(randomImages(3, [1, 1, 2, Q]), 2));
    const ab = tf.tensor4d([12, -7, -50, 33], [1, 1, 2, 2]);
    const targets = softEncodeAb(ab);
    const weights = tf.tidy(() => tf.add(randomImages(4, [1, 1, 1, Q]).reshape([Q]), 0.5));
    await gradCheck((z) => colorizationLoss(z, targets, { weights }), [logits], { maxEntries: 24 });
    tf.dispose([logits, ab, targets, weights]);
  });

  it('checks shapes, and leaks nothing', async () => {
    const a = tf.zeros([1, 2, 2, Q]);
    const b = tf.zeros([1, 2, 2, Q - 1]);
    expect(() => colorizationLoss(a, b)).toThrow(ShapeError);
    const w = tf.ones([3]);
    expect(() => colorizationLoss(a, a, { weights: w })).toThrow(ShapeError);
    await expectNoLeaks(() => colorizationLoss(a, a));
    tf.dispose([a, b, w]);
  });
});

describe('annealedMean', () => {
  it('is the mean of the bin centres at T = 1 and tends to the mode as T falls', async () => {
    const logits = tf.tidy(() => tf.mul(randomImages(5, [1, 1, 1, Q]), 3));
    const z = Array.from(await logits.data());
    const bins = abBins();
    const expected = (T: number): number[] => {
      const e = z.map((v) => Math.exp(v / T - Math.max(...z) / T));
      const s = e.reduce((a, v) => a + v, 0);
      return [0, 1].map((k) => e.reduce((acc, v, q) => acc + (v / s) * bins[q]![k]!, 0));
    };
    await expectTensorClose(annealedMean(logits, { temperature: 1 }), tf.tensor(expected(1), [1, 1, 1, 2]), {
      rtol: 1e-4,
      atol: 1e-3,
    });
    await expectTensorClose(annealedMean(logits), tf.tensor(expected(0.38), [1, 1, 1, 2]), {
      rtol: 1e-4,
      atol: 1e-3,
    });
    // one clearly largest logit: the annealed mean at a small T is its bin centre
    const peaked = tf.tidy(() => tf.add(logits, tf.reshape(tf.oneHot([100], Q), [1, 1, 1, Q]).mul(10)));
    await expectTensorClose(
      annealedMean(peaked, { temperature: 1e-2 }),
      tf.tensor(bins[100]!, [1, 1, 1, 2]),
      {
        rtol: 0,
        atol: 1e-2,
      },
    );
    tf.dispose([logits, peaked]);
  });

  it('checks the temperature and bin count, and leaks nothing', async () => {
    const logits = tf.zeros([1, 1, 1, Q]);
    expect(() => annealedMean(logits, { temperature: 0 })).toThrow(
      "annealedMean: 'temperature' is 0 but expected a finite number > 0.",
    );
    const wrong = tf.zeros([1, 1, 1, 313]);
    expect(() => annealedMean(wrong)).toThrow(ShapeError);
    await expectNoLeaks(() => annealedMean(logits));
    tf.dispose([logits, wrong]);
  });
});
