import { loadFashionMnist } from '@genoise/data/node';
import { extractFeatures, weightedKnn } from '@genoise/eval';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/config/train-config';
import { createMethod, train } from '../src/loop/fit';

// The CI-sized proof of learning on real data: SimCLR on a Fashion-MNIST subset, NT-Xent falls and the
// pretrained encoder's kNN accuracy beats the same encoder at random init. wasm only (cpu is ~70x slower).
describe.runIf(testBackend() === 'wasm')('SimCLR learns on Fashion-MNIST (CI-sized)', () => {
  it('lowers NT-Xent and beats the random-init encoder under kNN', { timeout: 300_000 }, async () => {
    const trainSet = await loadFashionMnist({ split: 'train', limit: 4000 });
    const testSet = await loadFashionMnist({ split: 'test', limit: 1000 });
    const config = resolveTrainConfig({
      seed: 1,
      batchSize: 128,
      steps: 80,
      checkpointEvery: 1000,
      method: { name: 'simclr' },
    });
    const result = await train(config, trainSet);
    expect(result.losses).toHaveLength(80);
    const first = result.losses.slice(0, 10).reduce((a, b) => a + b) / 10;
    const last = result.losses.slice(-10).reduce((a, b) => a + b) / 10;
    expect(last).toBeLessThan(first - 0.3);

    // The same config builds the same encoder the run started from (its init key).
    const initial = await createMethod(config, trainSet);
    const knn = async (encoder: tfl.LayersModel): Promise<number> => {
      const encode = (x: tf.Tensor4D) => encoder.predict(x) as tf.Tensor2D;
      const bank = await extractFeatures(encode, (i) => trainSet.images(i), trainSet.size, {
        batchSize: 500,
      });
      const queries = await extractFeatures(encode, (i) => testSet.images(i), testSet.size, {
        batchSize: 500,
      });
      const { top1 } = await weightedKnn({
        trainFeatures: bank,
        trainLabels: trainSet.labels!,
        testFeatures: queries,
        testLabels: testSet.labels!,
        numClasses: 10,
      });
      tf.dispose([bank, queries]);
      return top1;
    };
    const pretrained = await knn(result.method.encoder!);
    const random = await knn(initial.encoder!);
    result.method.dispose();
    initial.dispose();
    console.log(
      `SimCLR 80 steps: NT-Xent ${first.toFixed(3)} -> ${last.toFixed(3)}; kNN top-1 pretrained ${pretrained} vs random init ${random}`,
    );
    // Measured (seed 1, wasm): NT-Xent 4.935 -> 3.979, kNN 63.5% vs 55.3% (before and after the one-loop
    // refactor: the golden test holds these numerics). The run is deterministic on a backend; the
    // 3-point margin leaves room for another backend's rounding.
    expect(pretrained).toBeGreaterThan(random + 0.03);
  });
});
