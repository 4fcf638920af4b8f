import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gradCheck } from './grad-check';
import { expectNoLeaks } from './no-leaks';
import { expectTensorClose } from './tensor-close';

describe('expectTensorClose', () => {
  it('passes within tolerance and reports shape, index and max error otherwise', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expectTensorClose(x, [
      [1, 2],
      [3, 4.00001],
    ]);
    await expect(
      expectTensorClose(x, [
        [1, 2],
        [3.5, 4],
      ]),
    ).rejects.toThrow(
      'expectTensorClose: 1 of 4 elements differ (shape [2,2], rtol 0.0001, atol 0.00001); worst at [1,0]: actual 3 vs expected 3.5; max abs error 5.000e-1',
    );
    await expect(expectTensorClose(x, [1, 2, 3, 4])).rejects.toThrow('shape [2,2] differs from expected [4]');
    await expectTensorClose(x, Float32Array.of(1, 2, 3, 4));
    x.dispose();
  });

  it('treats NaN as equal to NaN only', async () => {
    await expectTensorClose([Number.NaN, 1], [Number.NaN, 1]);
    await expect(expectTensorClose([Number.NaN], [1])).rejects.toThrow('1 of 1 elements differ');
  });
});

describe('expectNoLeaks', () => {
  it('disposes returned tensors and passes for a clean function', async () => {
    const x = tf.scalar(2);
    expect(await expectNoLeaks(() => tf.tidy(() => ({ a: tf.mul(x, 2), b: [tf.add(x, 1)] })))).toBe(2);
    x.dispose();
  });

  it('fails when a function leaks an intermediate', async () => {
    const x = tf.scalar(2);
    await expect(
      expectNoLeaks(() => {
        tf.square(x); // never disposed
        return tf.add(x, 1);
      }),
    ).rejects.toThrow("expectNoLeaks: 1 tensors and 1 data buffers leaked on backend 'cpu'");
    x.dispose();
  });
});

describe('gradCheck', () => {
  it('accepts a correct gradient', async () => {
    const x = tf.tensor1d([0.3, -1.2, 2.0]);
    const report = await gradCheck((a) => tf.sum(tf.mul(tf.sin(a), a)), [x]);
    expect(report.checked).toBe(3);
    expect(report.maxAbsError).toBeLessThan(1e-3);
    x.dispose();
  });

  it('catches a wrong gradient (a custom op whose backward pass is off by 2x)', async () => {
    const wrongSquare = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return { value: tf.square(a), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const x = tf.tensor1d([1, 2]);
    await expect(gradCheck((a) => wrongSquare(a) as tf.Tensor, [x])).rejects.toThrow(
      /gradCheck: 2 of 2 entries differ/,
    );
    x.dispose();
  });
});
