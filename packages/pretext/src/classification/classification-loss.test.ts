import { DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { classificationLoss } from './classification-loss';

const logitsValues = [
  [1, 2, 0.5, -1],
  [0, 0, 0, 0],
  [3, -2, 1, 0.25],
];
const labelValues = [1, 3, 0];

// -log softmax(z)_y by hand in float64.
const naive = logitsValues.map((z, n) => {
  const lse = Math.log(z.reduce((s, v) => s + Math.exp(v), 0));
  return lse - z[labelValues[n]!]!;
});

describe('classificationLoss', () => {
  it('is the softmax cross-entropy of a naive loop, with every reduction', async () => {
    const logits = tf.tensor2d(logitsValues);
    const labels = tf.tensor1d(labelValues, 'int32');
    const none = classificationLoss(logits, labels, { reduction: 'none' });
    expect(none.shape).toEqual([3]);
    await expectTensorClose(none, naive);
    expect(Math.abs(naive[1]! - Math.log(4))).toBeLessThan(1e-12); // uniform logits: log K
    const mean = classificationLoss(logits, labels);
    const sum = classificationLoss(logits, labels, { reduction: 'sum' });
    await expectTensorClose(mean, naive.reduce((a, b) => a + b) / 3);
    await expectTensorClose(
      sum,
      naive.reduce((a, b) => a + b),
    );
    tf.dispose([logits, labels, none, mean, sum]);
  });

  it('has the gradient of finite differences', async () => {
    const logits = tf.tensor2d(logitsValues);
    const labels = tf.tensor1d(labelValues, 'int32');
    await gradCheck((z) => classificationLoss(z, labels), [logits]);
    tf.dispose([logits, labels]);
  });

  it('checks shapes, dtypes and the reduction', () => {
    const logits = tf.zeros([3, 4]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const floatLabels = tf.zeros([3]);
    expect(() => classificationLoss(logits, labels)).toThrow(ShapeError);
    expect(() => classificationLoss(logits, labels)).toThrow(
      "classificationLoss: 'labels' has shape [2] but 'logits' has [3,4]; 'N' must be the same size in both (3 vs 2).",
    );
    expect(() => classificationLoss(logits, floatLabels)).toThrow(DTypeError);
    const ok = tf.tensor1d([0, 1, 2], 'int32');
    expect(() => classificationLoss(logits, ok, { reduction: 'avg' as 'mean' })).toThrow(/'reduction'/);
    tf.dispose([logits, labels, floatLabels, ok]);
  });

  it('leaks nothing', async () => {
    const logits = tf.tensor2d(logitsValues);
    const labels = tf.tensor1d(labelValues, 'int32');
    await expectNoLeaks(() => classificationLoss(logits, labels));
    tf.dispose([logits, labels]);
  });
});
