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
  expect(Number.isFinite(first) && Number.isFinite(second)).toBe(true);
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
  const labLosses = [await lab.trainStep(), await lab.trainStep()];
  // fit at a constant rate (no warm-up, a 'step' schedule far longer than two steps) on the same pairs.
  // The lab feeds every pair in order each step; fit shuffles, so this data puts a batch back in order.
  const config = { ...lab.config, warmupFraction: 0, schedule: 'step' as const };
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
