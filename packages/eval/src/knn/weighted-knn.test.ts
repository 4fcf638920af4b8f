import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { naiveCosine, rankDescending, seededFeatures, seededLabels } from '../../test/fixtures';
import { weightedKnn } from './weighted-knn';

/** The InstDisc / MoCo-colab vote, as a plain float64 loop. */
function naiveKnn(
  train: Float32Array,
  trainLabels: Int32Array,
  test: Float32Array,
  testLabels: Int32Array,
  dims: number,
  numClasses: number,
  k: number,
  temperature: number,
): { predictions: Int32Array; top1: number; top5: number } {
  const n = trainLabels.length;
  const m = testLabels.length;
  const predictions = new Int32Array(m);
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < m; i++) {
    const sims = Array.from({ length: n }, (_, j) => naiveCosine(test, train, dims, i, j));
    const neighbours = rankDescending(sims).slice(0, k);
    const scores = new Array<number>(numClasses).fill(0);
    for (const j of neighbours) scores[trainLabels[j]!]! += Math.exp(sims[j]! / temperature);
    const ranked = rankDescending(scores);
    predictions[i] = ranked[0]!;
    if (ranked[0] === testLabels[i]) top1++;
    if (ranked.slice(0, 5).includes(testLabels[i]!)) top5++;
  }
  return { predictions, top1: top1 / m, top5: top5 / m };
}

describe('weightedKnn', () => {
  const dims = 8;
  const numClasses = 7;
  const train = seededFeatures(1, 120, dims);
  const test = seededFeatures(2, 37, dims);
  const trainLabels = seededLabels(3, 120, numClasses);
  const testLabels = seededLabels(4, 37, numClasses);

  it('matches a naive loop (k 20, T 0.1, chunks of 16 over 37 queries)', async () => {
    const expected = naiveKnn(train.values, trainLabels, test.values, testLabels, dims, numClasses, 20, 0.1);
    const result = await weightedKnn({
      trainFeatures: train.tensor,
      trainLabels,
      testFeatures: test.tensor,
      testLabels: tf.tensor1d(testLabels, 'int32'),
      numClasses,
      k: 20,
      chunkSize: 16,
    });
    expect(Array.from(result.predictions)).toEqual(Array.from(expected.predictions));
    expect(result.top1).toBeCloseTo(expected.top1, 12);
    expect(result.top5).toBeCloseTo(expected.top5, 12);
  });

  it('matches a naive loop with all neighbours voting and a soft temperature', async () => {
    const expected = naiveKnn(train.values, trainLabels, test.values, testLabels, dims, numClasses, 120, 0.5);
    const result = await weightedKnn({
      trainFeatures: train.tensor,
      trainLabels,
      testFeatures: test.tensor,
      testLabels,
      numClasses,
      k: 120,
      temperature: 0.5,
    });
    expect(Array.from(result.predictions)).toEqual(Array.from(expected.predictions));
  });

  it('k = 1 recovers the nearest neighbour label', async () => {
    const result = await weightedKnn({
      trainFeatures: train.tensor,
      trainLabels,
      testFeatures: test.tensor,
      testLabels,
      numClasses,
      k: 1,
    });
    for (let i = 0; i < 37; i++) {
      const sims = Array.from({ length: 120 }, (_, j) => naiveCosine(test.values, train.values, dims, i, j));
      expect(result.predictions[i]).toBe(trainLabels[rankDescending(sims)[0]!]);
    }
  });

  it('test = train with k = 1 scores 100%, and scale does not matter (cosine)', async () => {
    const scaled = tf.mul(train.tensor, 3) as tf.Tensor2D;
    const result = await weightedKnn({
      trainFeatures: train.tensor,
      trainLabels,
      testFeatures: scaled,
      testLabels: trainLabels,
      numClasses,
      k: 1,
    });
    expect(result.top1).toBe(1);
    expect(result.top5).toBe(1);
    expect(Array.from(result.predictions)).toEqual(Array.from(trainLabels));
    scaled.dispose();
  });

  it('top5 is 1 when there are at most five classes', async () => {
    const labels3 = trainLabels.map((l) => l % 3);
    const result = await weightedKnn({
      trainFeatures: train.tensor,
      trainLabels: labels3,
      testFeatures: test.tensor,
      testLabels: testLabels.map((l) => l % 3),
      numClasses: 3,
      k: 5,
    });
    expect(result.top5).toBe(1);
  });

  it('is deterministic and leaks nothing', async () => {
    const run = () =>
      weightedKnn({
        trainFeatures: train.tensor,
        trainLabels,
        testFeatures: test.tensor,
        testLabels,
        numClasses,
        k: 10,
        chunkSize: 5,
      });
    const first = await run();
    await expectNoLeaks(async () => {
      const second = await run();
      expect(second).toEqual(first);
    });
  });

  it('names the function and argument on bad input', async () => {
    const base = {
      trainFeatures: train.tensor,
      trainLabels,
      testFeatures: test.tensor,
      testLabels,
      numClasses,
      k: 10,
    };
    await expect(weightedKnn({ ...base, trainLabels: trainLabels.subarray(0, 100) })).rejects.toThrow(
      "weightedKnn: 'trainLabels' has 100 labels but 'trainFeatures' has 120 rows; both must have the same N.",
    );
    await expect(weightedKnn({ ...base, testLabels: tf.tensor1d([1, 2], 'int32') })).rejects.toSatisfy(
      ShapeError.isInstance,
    );
    const wide = tf.zeros([37, 9]) as tf.Tensor2D;
    await expect(weightedKnn({ ...base, testFeatures: wide })).rejects.toThrow(
      "weightedKnn: 'testFeatures' has shape [37,9] but 'trainFeatures' has [120,8]; 'D' must be the same size in both (8 vs 9).",
    );
    wide.dispose();
    await expect(weightedKnn({ ...base, k: 121 })).rejects.toThrow(
      "weightedKnn: 'k' is 121 but expected an integer in [1, 120].",
    );
    await expect(weightedKnn({ ...base, k: 121 })).rejects.toSatisfy(ArgumentError.isInstance);
    await expect(weightedKnn({ ...base, numClasses: 6 })).rejects.toThrow(
      /^weightedKnn: '(train|test)Labels' holds 6 at index \d+ but expected integers in \[0, 6\) \(numClasses = 6\)\.$/,
    );
    await expect(weightedKnn({ ...base, temperature: 0 })).rejects.toThrow(
      "weightedKnn: 'temperature' is 0 but expected a finite number > 0.",
    );
    const ints = tf.zeros([120, 8], 'int32') as tf.Tensor2D;
    await expect(weightedKnn({ ...base, trainFeatures: ints })).rejects.toSatisfy(DTypeError.isInstance);
    ints.dispose();
  });
});
