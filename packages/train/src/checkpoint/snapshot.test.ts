import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtraState } from '../method/method';
import type { Checkpoint } from './checkpoint-types';
import { restore, snapshot } from './snapshot';

function dense(units: number, seed: number): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [3],
        units,
        kernelInitializer: tfl.initializers.randomUniform({ minval: -1, maxval: 1, seed }),
        biasInitializer: 'zeros',
      }),
    ],
  });
  return model;
}

const x = () => tf.tensor2d([0.5, -1, 2, 1, 0.25, -0.5], [2, 3]);
const lossOf = (model: tfl.LayersModel) => () => {
  const y = model.apply(x()) as tf.Tensor;
  return tf.mean(tf.square(tf.sub(y, 0.3))) as tf.Scalar;
};
function stepN(model: tfl.LayersModel, optimizer: tf.Optimizer, n: number): void {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let i = 0; i < n; i++)
    tf.tidy(() => {
      optimizer.minimize(lossOf(model), false, variables);
    });
}
const valuesOf = async (model: tfl.LayersModel) =>
  Promise.all(model.weights.map(async (w) => [...(await w.read().data())]));
const checkpointOf = (step: number, groups: Checkpoint['groups']): Checkpoint => ({
  format: 'genoise-checkpoint',
  version: 1,
  step,
  config: {},
  createdAt: '',
  groups,
});

describe('snapshot and restore', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('groups every model, the optimizer and the extra state, and restores them into fresh objects', async () => {
    const model = dense(2, 1);
    const optimizer = tf.train.adam(0.05);
    stepN(model, optimizer, 3);
    let queue: readonly ExtraState[] = [
      { name: 'queue', shape: [2], values: Float32Array.of(4, 5), meta: { pointer: 1 } },
    ];
    const method = {
      models: [{ name: 'net', model }],
      state: {
        save: async () => [...queue],
        restore: (s: readonly ExtraState[]) => {
          queue = s;
        },
      },
    };
    const groups = await snapshot(method, optimizer);
    expect(Object.keys(groups)).toEqual(['model:net', 'optimizer', 'extra']);
    expect(groups['model:net']!.map((a) => a.shape)).toEqual([[3, 2], [2]]);
    // Adam: the iteration count, then first and second moments per variable.
    expect(groups['optimizer']!.map((a) => a.shape)).toEqual([[], [3, 2], [2], [3, 2], [2]]);
    expect(Array.from(groups['optimizer']![0]!.values)).toEqual([3]);
    expect(groups['extra']).toEqual(queue);

    const fresh = dense(2, 99);
    const freshOptimizer = tf.train.adam(0.05);
    queue = [];
    await restore(
      { ...method, models: [{ name: 'net', model: fresh }] },
      freshOptimizer,
      checkpointOf(3, groups),
    );
    expect(await valuesOf(fresh)).toEqual(await valuesOf(model));
    expect(queue.map((s) => s.name)).toEqual(['queue']);

    // Both continue identically, bit for bit: moments and Adam's bias-correction powers came back exact.
    stepN(model, optimizer, 4);
    stepN(fresh, freshOptimizer, 4);
    expect(await valuesOf(fresh)).toEqual(await valuesOf(model));
    const powers = async (o: tf.Optimizer) => {
      const adam = o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
      return [(await adam.accBeta1.data())[0], (await adam.accBeta2.data())[0]];
    };
    expect(await powers(freshOptimizer)).toEqual(await powers(optimizer));
    // The running float32 products an uninterrupted run holds after 7 steps (beta^8, multiplied step by step).
    let b1 = Math.fround(0.9);
    let b2 = Math.fround(0.999);
    for (let i = 0; i < 7; i++) {
      b1 = Math.fround(b1 * Math.fround(0.9));
      b2 = Math.fround(b2 * Math.fround(0.999));
    }
    expect(await powers(optimizer)).toEqual([b1, b2]);

    for (const o of [optimizer, freshOptimizer]) o.dispose();
    model.dispose();
    fresh.dispose();
  });

  it('refuses a checkpoint of another architecture, naming the model', async () => {
    const model = dense(2, 1);
    const optimizer = tf.train.adam(0.05);
    const groups = await snapshot({ models: [{ name: 'net', model }] }, optimizer);
    const other = dense(2, 1);
    const error = await restore(
      { models: [{ name: 'head', model: other }] },
      optimizer,
      checkpointOf(0, groups),
    ).catch((e: unknown) => e);
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "restore: the checkpoint's 'head' has 0 weights but the model has 2; was it written by another architecture?",
    );
    optimizer.dispose();
    model.dispose();
    other.dispose();
  });
});
