import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededImages } from '../../test/image-support';
import { expectFinite, gradientsOf } from '../../test/support';
import { charbonnier } from './charbonnier';

const x = seededImages(31, [2, 3, 4, 1], -2, 2);
const naive = (alpha: number, eps: number): number[] =>
  Array.from(x.values, (v) => (v * v + eps * eps) ** alpha);

afterAll(() => x.tensor.dispose());

describe('charbonnier', () => {
  it('matches (x^2 + eps^2)^alpha elementwise, for every reduction', async () => {
    const expected = naive(0.45, 0.001);
    const none = charbonnier(x.tensor, { reduction: 'none' });
    expect(none.shape).toEqual([2, 3, 4, 1]);
    await expectTensorClose(none, Float32Array.from(expected));
    const meanLoss = charbonnier(x.tensor);
    await expectTensorClose(meanLoss, expected.reduce((a, b) => a + b, 0) / expected.length);
    const sumLoss = charbonnier(x.tensor, { reduction: 'sum' });
    await expectTensorClose(
      sumLoss,
      expected.reduce((a, b) => a + b, 0),
    );
    const classic = charbonnier(x.tensor, { alpha: 0.5, eps: 0.1, reduction: 'none' });
    await expectTensorClose(classic, Float32Array.from(naive(0.5, 0.1)));
    tf.dispose([none, meanLoss, sumLoss, classic]);
  });

  it('is eps^(2 alpha) at 0, with a zero, finite gradient there', async () => {
    const zeros = tf.zeros([1, 2, 2, 1]);
    const atZero = charbonnier(zeros);
    await expectTensorClose(atZero, 0.001 ** 0.9);
    const [grad] = gradientsOf((a) => charbonnier(a, { reduction: 'none' }), [zeros]);
    await expectFinite(grad as tf.Tensor);
    await expectTensorClose(grad as tf.Tensor, new Float32Array(4));
    tf.dispose([zeros, atZero, grad as tf.Tensor]);
  });

  it('passes a finite-difference gradient check', async () => {
    await gradCheck((a) => charbonnier(a as tf.Tensor, { reduction: 'sum' }), [x.tensor]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => charbonnier(x.tensor, { reduction: 'none' }));
    await expectNoLeaks(() => gradientsOf((a) => charbonnier(a), [x.tensor]));
  });

  it('rejects non-tensors, non-float32 inputs and bad options', () => {
    const ints = tf.zeros([2], 'int32');
    expect(() => charbonnier([1, 2] as unknown as tf.Tensor)).toThrow(ShapeError);
    expect(() => charbonnier(ints)).toThrow(DTypeError);
    expect(() => charbonnier(x.tensor, { alpha: 0 })).toThrow(
      "charbonnier: 'alpha' is 0 but expected a finite number > 0.",
    );
    expect(() => charbonnier(x.tensor, { eps: -1 })).toThrow(ArgumentError);
    tf.dispose(ints);
  });
});
