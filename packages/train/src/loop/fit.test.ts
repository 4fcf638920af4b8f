import { createKey, foldIn, permutationValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryRunStore, type RunStore } from '../checkpoint/run-store';
import { resolveTrainConfig } from '../config/train-config';
import type { Method } from '../method/method';
import { learningRateAt } from '../schedule/learning-rate';
import { fit, keysOf, type StepEvent, stepIndices } from './fit';

/** A one-weight fake method that records what the loop asks of it; `loss = (w - 2)² · scale`. */
function fakeMethod(scale = 1) {
  const w = tf.tidy(() => tf.variable(tf.scalar(0), true));
  const calls: { indices: number[]; key: string; step: number }[] = [];
  const method: Method & { calls: typeof calls } = {
    name: 'fake',
    models: [],
    calls,
    trainableVariables: () => [w],
    batch(_data, indices, key, step) {
      calls.push({ indices: [...indices], key: JSON.stringify(key), step });
      return {};
    },
    loss: () => ({ loss: tf.mul(tf.square(tf.sub(w, 2)), scale) as tf.Scalar }),
    dispose: () => w.dispose(),
  };
  return method;
}

// The loop's schedule with the model taken out: the config only has to name a registered method.
const config = (shared: Record<string, unknown>) =>
  resolveTrainConfig({ batchSize: 2, checkpointEvery: 100, ...shared, method: { name: 'simclr' } });

describe('fit', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draws each epoch as a keyed permutation of the data, a new key each step, the scheduled rate', async () => {
    const method = fakeMethod();
    const events: StepEvent[] = [];
    const c = config({ epochs: 2, seed: 4, warmupFraction: 0.2 });
    const result = await fit(method, { size: 7 }, { config: c, onStep: (e) => void events.push(e) });
    // 7 examples in batches of 2: 3 steps per epoch (the 7th example is dropped each epoch), 2 epochs.
    expect(result).toMatchObject({ step: 6, totalSteps: 6, stopped: 'completed' });
    expect(events.map((e) => [e.step, e.epoch, e.stepsPerEpoch, e.totalSteps])).toEqual([
      [1, 0, 3, 6],
      [2, 0, 3, 6],
      [3, 0, 3, 6],
      [4, 1, 3, 6],
      [5, 1, 3, 6],
      [6, 1, 3, 6],
    ]);
    expect(method.calls.map((c) => c.step)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const epoch of [0, 1]) {
      const seen = method.calls.slice(3 * epoch, 3 * epoch + 3).flatMap((c) => c.indices);
      expect(new Set(seen).size).toBe(6);
      for (const i of seen) expect(i >= 0 && i < 7 && Number.isInteger(i)).toBe(true);
    }
    expect(new Set(method.calls.map((c) => c.key)).size).toBe(6);
    expect(events.map((e) => e.learningRate)).toEqual([0, 1, 2, 3, 4, 5].map((s) => learningRateAt(c, s, 6)));
    // (w - 2)² from w = 0 under Adam: finite, falling.
    expect(result.losses[0]).toBe(4);
    expect(result.losses[5]).toBeLessThan(4);
    expect(events.map((e) => e.loss)).toEqual(result.losses);

    // Same seed: the same indices and keys; another seed: another order.
    const again = fakeMethod();
    await fit(again, { size: 7 }, { config: c });
    expect(again.calls).toEqual(method.calls);
    const other = fakeMethod();
    await fit(other, { size: 7 }, { config: config({ epochs: 2, seed: 5 }) });
    expect(other.calls.map((x) => x.indices)).not.toEqual(method.calls.map((x) => x.indices));
    for (const m of [method, again, other]) m.dispose();
  });

  it('draws the order stepIndices gives (the one the studio steps with)', async () => {
    const method = fakeMethod();
    const c = config({ epochs: 2, seed: 4 });
    await fit(method, { size: 7 }, { config: c });
    const plan = stepIndices(7, 2, keysOf(c).orderKey);
    expect(method.calls.map((x) => x.indices)).toEqual([0, 1, 2, 3, 4, 5].map((s) => plan(s).indices));
    method.dispose();
  });

  it('stepIndices: a keyed permutation per epoch cut into batches (remainder dropped), or a stream in order', () => {
    const key = createKey(9);
    const plan = stepIndices(7, 2, key);
    const epoch0 = Array.from(permutationValues(foldIn(key, 0), 7));
    const epoch1 = Array.from(permutationValues(foldIn(key, 1), 7));
    expect([0, 1, 2].map((s) => plan(s))).toEqual([
      { epoch: 0, indices: epoch0.slice(0, 2) },
      { epoch: 0, indices: epoch0.slice(2, 4) },
      { epoch: 0, indices: epoch0.slice(4, 6) },
    ]);
    expect(plan(3)).toEqual({ epoch: 1, indices: epoch1.slice(0, 2) });
    expect(plan(0)).toEqual({ epoch: 0, indices: epoch0.slice(0, 2) }); // back to an earlier epoch
    expect(stepIndices(undefined, 3, key)(2)).toEqual({ epoch: 0, indices: [6, 7, 8] });
  });

  it('reads an endless stream in order, example s·B + i at step s', async () => {
    const method = fakeMethod();
    await fit(method, { size: undefined }, { config: config({ steps: 3 }) });
    expect(method.calls.map((c) => c.indices)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    method.dispose();
  });

  it('logs every `logEvery` steps and the last, and checkpoints every `checkpointEvery` steps and at the end', async () => {
    const method = fakeMethod();
    const memory = memoryRunStore();
    const saved: number[] = [];
    const store: RunStore = {
      ...memory,
      save: async (c) => {
        saved.push(c.step);
        await memory.save(c);
      },
    };
    await fit(
      method,
      { size: 100 },
      { config: config({ steps: 5, logEvery: 2, checkpointEvery: 2 }), store },
    );
    expect(memory.metrics.map((m) => m.step)).toEqual([2, 4, 5]);
    expect(saved).toEqual([2, 4, 5]);
    expect(Object.keys(memory.metrics[0]!).sort()).toEqual([
      'elapsedSeconds',
      'examplesPerSecond',
      'learningRate',
      'loss',
      'step',
    ]);
    method.dispose();
  });

  it('stops on a non-finite loss with the error naming the step, leaving no optimizer behind', async () => {
    const method = fakeMethod(Number.NaN);
    await expect(
      fit(method, { size: 4 }, { config: config({ steps: 3, learningRate: 0.01 }) }),
    ).rejects.toThrow('trainStep: the loss became NaN at step 1; lower the learning rate');
    expect(method.calls).toHaveLength(1);
    method.dispose();
  });
});
