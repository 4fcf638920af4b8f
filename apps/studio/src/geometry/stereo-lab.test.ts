import { createMethod, fit as fitLoop } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { DEFAULT_LAB, StereoLab, syntheticPairs } from './stereo-lab';

const settings = { ...DEFAULT_LAB, height: 32, width: 64, scenes: 2 };

test("the lab runs train's stereo method; warping with the ground truth beats not warping, and the lab leaks no tensors across steps and reset", async () => {
  const before = tf.memory().numTensors;
  const lab = await StereoLab.create(syntheticPairs(settings), settings);
  const truth = await lab.maps(0, 'truth');
  const meanIdentity = truth.identityError.reduce((a, b) => a + b, 0) / truth.identityError.length;
  expect(truth.meanError).toBeLessThan(meanIdentity);
  expect(truth.autoMask.length).toBe(32 * 64);
  const fresh = tf.memory().numTensors;
  const first = await lab.trainStep();
  const second = await lab.trainStep();
  expect(Number.isFinite(first.loss) && Number.isFinite(second.loss)).toBe(true);
  expect([first.step, second.step]).toEqual([1, 2]);
  // A constant rate: the settings' rate at every step.
  expect([first.learningRate, second.learningRate]).toEqual([settings.learningRate, settings.learningRate]);
  const steady = tf.memory().numTensors;
  await lab.trainStep();
  const predicted = await lab.maps(1, 'prediction');
  expect(predicted.endPointError).toBeGreaterThanOrEqual(0);
  expect(tf.memory().numTensors).toBe(steady);
  await lab.reset();
  expect(lab.step).toBe(0);
  expect(tf.memory().numTensors).toBe(fresh);
  lab.dispose();
  expect(tf.memory().numTensors).toBe(before);
});

test("each lab step is train's stereo step: the same losses as fit on the same pairs and config", async () => {
  const pairs = syntheticPairs(settings);
  const lab = await StereoLab.create(pairs, settings);
  const labLosses = [(await lab.trainStep()).loss, (await lab.trainStep()).loss];
  // fit on the lab's own config (a constant rate: no warm-up, a 'step' schedule far longer than two
  // steps) on the same pairs. The lab feeds every pair in order each step; fit shuffles, so this data
  // puts a batch back in order.
  const config = lab.config;
  expect([config.warmupFraction, config.schedule]).toEqual([0, 'step']);
  const [height, width] = [settings.height, settings.width];
  const stack = (indices: readonly number[], pick: (p: (typeof pairs)[number]) => Float32Array) =>
    tf.tensor4d(Float32Array.from(indices.flatMap((j) => Array.from(pick(pairs[j]!)))), [
      indices.length,
      height,
      width,
      3,
    ]);
  const data = {
    kind: 'stereo-pairs' as const,
    name: 'pairs',
    height,
    width,
    size: pairs.length,
    examples: (indices: readonly number[]) => {
      const sorted = [...indices].sort((a, b) => a - b);
      return { left: stack(sorted, (p) => p.left), right: stack(sorted, (p) => p.right) };
    },
  };
  const method = await createMethod(config, data);
  const result = await fitLoop(method, data, { config, stopAfter: 2 });
  method.dispose();
  lab.dispose();
  expect(result.losses).toEqual(labLosses);
});

test('new pairs train with the same network; a reset then starts a run whose batch is every pair, without leaks', async () => {
  const before = tf.memory().numTensors;
  const pairs = syntheticPairs(settings);
  const lab = await StereoLab.create(pairs, settings);
  expect(lab.config.batchSize).toBe(2);
  await lab.trainStep();
  const three = syntheticPairs({ ...settings, scenes: 3 });
  lab.setPairs(three);
  const step = await lab.trainStep(); // all three pairs, the network of the first step
  expect(step.step).toBe(2);
  expect(Number.isFinite(step.loss)).toBe(true);
  expect((await lab.maps(2, 'prediction')).prediction.length).toBe(32 * 64);
  await lab.reset();
  expect([lab.step, lab.config.batchSize]).toEqual([0, 3]);
  // The same as a fresh lab on the three pairs: the same first loss, bit for bit.
  const fresh = await StereoLab.create(three, settings);
  expect((await lab.trainStep()).loss).toBe((await fresh.trainStep()).loss);
  fresh.dispose();
  lab.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
