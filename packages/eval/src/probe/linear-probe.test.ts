import { ArgumentError, createKey } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { clusters, seededFeatures, seededLabels } from '../../test/fixtures';
import { linearProbe, softmaxGradients } from './linear-probe';

describe('linearProbe', () => {
  const numClasses = 4;
  const train = clusters(31, 400, 12, numClasses, 6);
  const test = clusters(32, 200, 12, numClasses, 6);
  const fast = { epochs: 15, batchSize: 64 };

  it('separates linearly separable clusters (>= 98%)', async () => {
    const result = await linearProbe({
      trainFeatures: train.tensor,
      trainLabels: train.labels,
      testFeatures: test.tensor,
      testLabels: tf.tensor1d(test.labels, 'int32'),
      numClasses,
      key: createKey(0),
      ...fast,
    });
    expect(result.top1).toBeGreaterThanOrEqual(0.98);
    expect(result.trainTop1).toBeGreaterThanOrEqual(0.98);
  });

  it('random labels give about chance on test; confusion rows sum to class counts', async () => {
    const x = seededFeatures(33, 300, 12);
    const y = seededFeatures(34, 400, 12);
    const trainLabels = seededLabels(35, 300, numClasses);
    const testLabels = seededLabels(36, 400, numClasses);
    const result = await linearProbe({
      trainFeatures: x.tensor,
      trainLabels,
      testFeatures: y.tensor,
      testLabels,
      numClasses,
      key: createKey(1),
      ...fast,
    });
    // chance is 1/4; the standard error over 400 test rows is about 0.022
    expect(result.top1).toBeGreaterThan(0.15);
    expect(result.top1).toBeLessThan(0.35);
    expect(result.trainTop1).toBeGreaterThan(result.top1); // it fits noise on train only
    result.confusion.forEach((row, c) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(testLabels.filter((l) => l === c).length);
    });
    const hits = result.confusion.reduce((sum, row, c) => sum + row[c]!, 0);
    expect(hits / 400).toBeCloseTo(result.top1, 12);
    tf.dispose([x.tensor, y.tensor]);
  });

  it('same key, same result; leaks nothing (variables and optimiser state disposed)', async () => {
    const run = (seed: number) =>
      linearProbe({
        trainFeatures: train.tensor,
        trainLabels: train.labels,
        testFeatures: test.tensor,
        testLabels: test.labels,
        numClasses,
        key: createKey(seed),
        epochs: 3,
        batchSize: 50,
        weightDecay: 1e-3,
        standardize: false,
      });
    const first = await run(5);
    const variablesBefore = Object.keys(tf.engine().state.registeredVariables).length;
    await expectNoLeaks(async () => {
      expect(await run(5)).toEqual(first);
    });
    expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(variablesBefore);
  });

  it('closed-form gradients match tf.variableGrads, with weight decay', async () => {
    const x = seededFeatures(37, 9, 5).tensor;
    const y = tf.oneHot(tf.tensor1d(seededLabels(38, 9, 3), 'int32'), 3) as tf.Tensor2D;
    const weights = tf.variable(seededFeatures(39, 5, 3).tensor);
    const bias = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]));
    const decay = 0.05;
    const expected = tf.variableGrads(
      () =>
        tf.add(
          tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(tf.add(tf.matMul(x, weights), bias))), 1))),
          tf.mul(decay / 2, tf.sum(tf.square(weights))),
        ) as tf.Scalar,
      [weights, bias],
    );
    const actual = softmaxGradients(x, y, weights, bias, decay);
    await expectTensorClose(actual[0]!.tensor, expected.grads[weights.name]!);
    await expectTensorClose(actual[1]!.tensor, expected.grads[bias.name]!);
    tf.dispose([
      x,
      y,
      weights,
      bias,
      expected.value,
      ...Object.values(expected.grads),
      ...actual.map((g) => g.tensor),
    ]);
  });

  it('names the function and argument on bad input', async () => {
    const base = {
      trainFeatures: train.tensor,
      trainLabels: train.labels,
      testFeatures: test.tensor,
      testLabels: test.labels,
      numClasses,
      key: createKey(0),
    };
    await expect(linearProbe({ ...base, testLabels: test.labels.subarray(0, 10) })).rejects.toThrow(
      "linearProbe: 'testLabels' has 10 labels but 'testFeatures' has 200 rows; both must have the same N.",
    );
    const narrow = tf.zeros([200, 11]) as tf.Tensor2D;
    await expect(linearProbe({ ...base, testFeatures: narrow })).rejects.toThrow(
      "linearProbe: 'testFeatures' has shape [200,11] but 'trainFeatures' has [400,12]; 'D' must be the same size in both (12 vs 11).",
    );
    narrow.dispose();
    await expect(linearProbe({ ...base, numClasses: 3 })).rejects.toThrow(
      "linearProbe: 'trainLabels' holds 3 at index 3 but expected integers in [0, 3) (numClasses = 3).",
    );
    await expect(linearProbe({ ...base, key: undefined as never })).rejects.toThrow(
      "linearProbe: 'key' is undefined but expected a Key from createKey(seed).",
    );
    await expect(linearProbe({ ...base, learningRate: -1 })).rejects.toSatisfy(ArgumentError.isInstance);
    await expect(linearProbe({ ...base, epochs: 0 })).rejects.toThrow(
      "linearProbe: 'epochs' is 0 but expected an integer >= 1.",
    );
  });
});
