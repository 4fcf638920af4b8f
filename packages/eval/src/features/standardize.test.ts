import { DTypeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededFeatures } from '../../test/fixtures';
import { standardize } from './standardize';

describe('standardize', () => {
  it('hand case: train statistics applied to test, constant column only centred', async () => {
    const train = tf.tensor2d([
      [0, 1, 7],
      [2, 3, 7],
    ]);
    const test = tf.tensor2d([[1, 5, 9]]);
    const out = standardize(train, test);
    // mean [1, 2, 7], population std [1, 1, 0 -> 1]
    await expectTensorClose(out.train, [
      [-1, -1, 0],
      [1, 1, 0],
    ]);
    await expectTensorClose(out.test, [[0, 3, 2]]);
    tf.dispose([train, test, out.train, out.test]);
  });

  it('matches a naive loop on seeded data', async () => {
    const rows = 40;
    const dims = 5;
    const train = seededFeatures(21, rows, dims);
    const test = seededFeatures(22, 9, dims);
    const expected = new Float32Array(9 * dims);
    for (let j = 0; j < dims; j++) {
      let mean = 0;
      for (let i = 0; i < rows; i++) mean += train.values[i * dims + j]! / rows;
      let variance = 0;
      for (let i = 0; i < rows; i++) variance += (train.values[i * dims + j]! - mean) ** 2 / rows;
      for (let i = 0; i < 9; i++)
        expected[i * dims + j] = (test.values[i * dims + j]! - mean) / Math.sqrt(variance);
    }
    const out = standardize(train.tensor, test.tensor);
    await expectTensorClose(out.test, expected, { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([train.tensor, test.tensor, out.train, out.test]);
  });

  it('leaks nothing and checks its inputs', async () => {
    const a = tf.ones([4, 3]) as tf.Tensor2D;
    const b = tf.ones([2, 2]) as tf.Tensor2D;
    await expectNoLeaks(() => standardize(a, a));
    expect(() => standardize(a, b)).toThrow(
      "standardize: 'test' has shape [2,2] but 'train' has [4,3]; 'D' must be the same size in both (3 vs 2).",
    );
    const c = tf.ones([4, 3], 'int32') as tf.Tensor2D;
    expect(() => standardize(c, a)).toThrow(DTypeError);
    tf.dispose([a, b, c]);
  });
});
