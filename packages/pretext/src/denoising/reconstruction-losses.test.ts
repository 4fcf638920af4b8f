import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { reconstructionCrossEntropy, reconstructionMSE } from './reconstruction-losses';

const logits = [
  [0.5, -1.2, 3, 0],
  [-2, 0.1, 0.7, 1.5],
];
const target = [
  [1, 0, 0.7, 0.2],
  [0, 0.5, 1, 0.9],
];
const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));
const naiveCE = logits.map((row, b) =>
  row.reduce((sum, s, i) => {
    const z = sigmoid(s);
    const x = target[b]![i]!;
    return sum - (x * Math.log(z) + (1 - x) * Math.log(1 - z));
  }, 0),
);
const naiveMSE = logits.map((row, b) => row.reduce((sum, s, i) => sum + (s - target[b]![i]!) ** 2, 0) / 4);

describe('reconstructionCrossEntropy', () => {
  it('sums the binary cross-entropy over components, from logits or probabilities', async () => {
    const s = tf.tensor2d(logits);
    const x = tf.tensor2d(target);
    const none = reconstructionCrossEntropy(s, x, { reduction: 'none' });
    await expectTensorClose(none, naiveCE);
    const probs = tf.sigmoid(s);
    await expectTensorClose(
      reconstructionCrossEntropy(probs, x, { fromLogits: false, reduction: 'none' }),
      naiveCE,
      {
        rtol: 1e-4,
        atol: 1e-4,
      },
    );
    await expectTensorClose(reconstructionCrossEntropy(s, x), (naiveCE[0]! + naiveCE[1]!) / 2);
    // images: [B, H, W, C] flattens per sample
    const s4 = tf.reshape(s, [2, 2, 2, 1]);
    const x4 = tf.reshape(x, [2, 2, 2, 1]);
    await expectTensorClose(
      reconstructionCrossEntropy(s4, x4, { reduction: 'sum' }),
      naiveCE[0]! + naiveCE[1]!,
    );
    tf.dispose([s, x, none, probs, s4, x4]);
  });

  it('has the gradient of finite differences; large logits stay finite', async () => {
    const s = tf.tensor2d(logits);
    const x = tf.tensor2d(target);
    await gradCheck((p) => reconstructionCrossEntropy(p, x), [s]);
    const big = tf.tensor2d([[80, -80]]);
    const t = tf.tensor2d([[0, 1]]);
    const loss = reconstructionCrossEntropy(big, t);
    expect((await loss.data())[0]).toBeCloseTo(160, 3);
    tf.dispose([s, x, big, t, loss]);
  });

  it('refuses mismatched shapes', () => {
    const a = tf.zeros([2, 4]);
    const b = tf.zeros([2, 5]);
    expect(() => reconstructionCrossEntropy(a, b)).toThrow(ShapeError);
    expect(() => reconstructionMSE(a, b)).toThrow(/'target' has shape \[2,5\] but 'prediction' has \[2,4\]/);
    tf.dispose([a, b]);
  });
});

describe('reconstructionMSE', () => {
  it('averages the squared error per sample, with its gradient', async () => {
    const s = tf.tensor2d(logits);
    const x = tf.tensor2d(target);
    await expectTensorClose(reconstructionMSE(s, x, { reduction: 'none' }), naiveMSE);
    await expectTensorClose(reconstructionMSE(s, x), (naiveMSE[0]! + naiveMSE[1]!) / 2);
    await gradCheck((p) => reconstructionMSE(p, x), [s]);
    tf.dispose([s, x]);
  });

  it('leaks nothing', async () => {
    const s = tf.tensor2d(logits);
    const x = tf.tensor2d(target);
    await expectNoLeaks(() => reconstructionMSE(s, x));
    await expectNoLeaks(() => reconstructionCrossEntropy(s, x));
    tf.dispose([s, x]);
  });
});
