import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { L2_NORMALIZE_EPSILON, l2Normalize } from './l2-normalize';
import { seeded } from './test-support';

const x = seeded<tf.Rank.R2>(71, [4, 5], -1, 1);

afterAll(() => x.tensor.dispose());

describe('l2Normalize', () => {
  it('scales each row to unit length (the naive loop, in float64)', async () => {
    const expected = new Float32Array(20);
    for (let r = 0; r < 4; r++) {
      let sum = 0;
      for (let k = 0; k < 5; k++) sum += x.values[r * 5 + k]! ** 2;
      for (let k = 0; k < 5; k++) expected[r * 5 + k] = x.values[r * 5 + k]! / Math.sqrt(sum);
    }
    const ours = l2Normalize(x.tensor);
    await expectTensorClose(ours, tf.tensor2d(expected, [4, 5]));
    ours.dispose();
  });

  it('normalises along the last axis of any rank', async () => {
    const v = tf.tensor3d([3, 4, 0, 5], [1, 2, 2]);
    const out = l2Normalize(v);
    await expectTensorClose(out, [
      [
        [0.6, 0.8],
        [0, 1],
      ],
    ]);
    tf.dispose([v, out]);
  });

  it('maps a zero row to zero with a finite gradient, and floors tiny norms at eps', async () => {
    const zero = tf.zeros([1, 3]);
    const out = l2Normalize(zero);
    expect(Array.from(await out.data())).toEqual([0, 0, 0]);
    const grad = tf.grad((a) => tf.sum(l2Normalize(a)))(zero);
    expect(Array.from(await grad.data()).every(Number.isFinite)).toBe(true);
    const tiny = tf.tensor2d([[3e-9, 4e-9]]); // norm 5e-9 < eps = 1e-8: divided by eps
    const floored = l2Normalize(tiny);
    await expectTensorClose(floored, [[0.3, 0.4]]);
    expect(L2_NORMALIZE_EPSILON).toBe(1e-8);
    tf.dispose([zero, out, grad, tiny, floored]);
  });

  it('has the right gradient (finite differences)', async () => {
    const weights = seeded<tf.Rank.R2>(72, [4, 5]);
    await gradCheck((a) => tf.sum(tf.mul(l2Normalize(a), weights.tensor)), [x.tensor]);
    weights.tensor.dispose();
  });

  it('names what is wrong', () => {
    const s = tf.scalar(1);
    expect(() => l2Normalize(s)).toThrow("l2Normalize: 'x' is a scalar but expected rank >= 1");
    expect(() => l2Normalize(x.tensor, { eps: 0 })).toThrow(
      "l2Normalize: 'eps' is 0 but expected a finite number > 0.",
    );
    expect(() => l2Normalize(x.tensor, { epsilon: 1 } as object)).toThrow(
      "l2Normalize: 'options' has an unknown key 'epsilon'; the allowed keys are 'eps'.",
    );
    s.dispose();
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => l2Normalize(x.tensor));
  });
});
