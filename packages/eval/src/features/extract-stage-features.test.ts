import { ArgumentError, createKey, ShapeError, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { extractStageFeatures } from './extract-stage-features';
import { poolStage } from './pool-stage';

// A toy dataset of 7 random 6x6x2 images and a two-stage "trunk": stage 1 is the image times 2
// ([B, 6, 6, 2]), stage 2 its channel means ([B, 2]).
const all = uniform(createKey(3), [7, 6, 6, 2]) as tf.Tensor4D;
afterAll(() => all.dispose());
const source = {
  size: 7,
  images: (indices: number[]) => tf.gather(all, tf.tensor1d(indices, 'int32')) as tf.Tensor4D,
};
const trunk = (x: tf.Tensor4D): tf.Tensor[] => [tf.mul(x, 2), tf.mean(x, [1, 2])];

describe('extractStageFeatures', () => {
  it('pools each stage batch by batch, equal to pooling the whole set at once', async () => {
    const calls: number[][] = [];
    const stages = await extractStageFeatures(
      trunk,
      {
        size: 7,
        images: (idx) => {
          calls.push(idx);
          return source.images(idx);
        },
      },
      { batchSize: 3, targetFeatures: 18 }, // g = round(sqrt(18 / 2)) = 3
    );
    expect(calls).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(stages.map(({ name, shape, dim }) => ({ name, shape, dim }))).toEqual([
      { name: 'stage1', shape: [6, 6, 2], dim: 18 },
      { name: 'stage2', shape: [2], dim: 2 },
    ]);
    const [whole1, whole2] = trunk(all);
    const expected1 = poolStage(whole1!, { targetFeatures: 18 });
    expect(stages[0]!.features).toBeInstanceOf(Float32Array);
    await expectTensorClose(stages[0]!.features, await expected1.data());
    await expectTensorClose(stages[1]!.features, await whole2!.data());
    tf.dispose([whole1!, whole2!, expected1]);
  });

  it('calls predict of a model object, takes its output names, and honours count', async () => {
    const seen: unknown[] = [];
    const model = {
      outputNames: ['conv', 'pool'],
      predict: (x: tf.Tensor4D, args?: { batchSize?: number }) => {
        seen.push(args);
        return trunk(x);
      },
    };
    const stages = await extractStageFeatures(model, source, { batchSize: 4, count: 5 });
    expect(seen).toEqual([{ batchSize: 4 }, { batchSize: 4 }]);
    expect(stages.map((s) => s.name)).toEqual(['conv', 'pool']);
    expect(stages[0]!.dim).toBe(72); // g clamped to min(H, W) = 6: 6 · 6 · 2
    expect(stages[0]!.features.length).toBe(5 * 72);
    const named = await extractStageFeatures(trunk, source, { names: ['a', 'b'] });
    expect(named.map((s) => s.name)).toEqual(['a', 'b']);
    const single = await extractStageFeatures((x) => tf.mean(x, [1, 2]), source);
    expect(single.map((s) => [s.name, s.dim])).toEqual([['stage1', 2]]);
  });

  it('leaks nothing, also when a batch returns a different shape', async () => {
    await expectNoLeaks(() => extractStageFeatures(trunk, source, { batchSize: 2 }));
    await expectNoLeaks(async () => {
      const bad = (x: tf.Tensor4D) =>
        x.shape[0] === 1 ? [tf.zeros([1, 3, 3, 2]), tf.zeros([1, 2])] : trunk(x);
      await expect(extractStageFeatures(bad, source, { batchSize: 3 })).rejects.toThrow(
        'extractStageFeatures: output 0 is [1,3,3,2] for a batch of 1 images starting at 6; expected [1,6,6,2].',
      );
      const fewer = (x: tf.Tensor4D) => (x.shape[0] === 1 ? [tf.mul(x, 2)] : trunk(x));
      await expect(extractStageFeatures(fewer, source, { batchSize: 3 })).rejects.toThrow(ShapeError);
    });
  });

  it('names bad arguments', async () => {
    await expect(extractStageFeatures(null as never, source)).rejects.toThrow(ArgumentError);
    await expect(extractStageFeatures(trunk, {} as never)).rejects.toThrow(
      "extractStageFeatures: 'source' is",
    );
    await expect(extractStageFeatures(trunk, source, { count: 8 })).rejects.toThrow(
      "extractStageFeatures: 'count' is 8 but expected an integer",
    );
    await expect(extractStageFeatures(trunk, source, { batchSize: 0 })).rejects.toThrow(ArgumentError);
    await expect(extractStageFeatures(trunk, source, { names: ['a'] })).rejects.toThrow("'names'");
    await expect(extractStageFeatures((x) => tf.mean(x, [1, 2, 3]), source)).rejects.toThrow(
      "poolStage: 'map' has shape [7] (rank 1)",
    );
  });
});
