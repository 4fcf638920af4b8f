import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { DEFAULT_LAB, StereoLab, syntheticPairs } from './stereo-lab';

const settings = { ...DEFAULT_LAB, height: 32, width: 64, scenes: 2 };

test('warping with the ground truth beats not warping, and the lab leaks no tensors across steps and reset', async () => {
  const before = tf.memory().numTensors;
  const lab = new StereoLab(syntheticPairs(settings), settings);
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
  lab.reset();
  expect(lab.step).toBe(0);
  expect(tf.memory().numTensors).toBe(fresh);
  lab.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
