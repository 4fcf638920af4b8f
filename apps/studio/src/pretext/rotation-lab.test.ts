import { train } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import type { FashionSubset } from '../lib/fashion-data';
import { hasRotationMethod, RotationLab, rotationLabConfig } from './rotation-lab';

/** A small stand-in for the shipped subset: 64 train and 20 test 28x28 images, keyed bytes. */
function tinySubset(): FashionSubset {
  const side = 28;
  const bytes = (n: number, salt: number) =>
    Uint8Array.from({ length: n * side * side }, (_, i) => ((i * 7919 + salt * 104729) >>> 3) % 256);
  const labels = (n: number) => Int32Array.from({ length: n }, (_, i) => i % 10);
  return {
    side,
    train: { pixels: bytes(64, 1), labels: labels(64) },
    test: { pixels: bytes(20, 2), labels: labels(20) },
  };
}

describe.skipIf(!hasRotationMethod())('rotation lab', () => {
  test("its losses are fit's for the same config, bit for bit; accuracy in [0, 1]; no leaks", async () => {
    const data = tinySubset();
    const settings = { seed: 3, batchSize: 8, evalSize: 10, scheduleSteps: 3 };
    const before = tf.memory().numTensors;
    const lab = await RotationLab.create(data, settings);
    const afterCreate = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const step = await lab.trainStep();
      losses.push(step.loss);
      expect(step.accuracy).toBeGreaterThanOrEqual(0);
      expect(step.accuracy).toBeLessThanOrEqual(1);
    }
    const accuracy = await lab.evaluate();
    expect(accuracy).toBeGreaterThanOrEqual(0);
    expect(accuracy).toBeLessThanOrEqual(1);
    // Steps and evaluation create optimizer state once (Adam's moments) and nothing else.
    const settled = tf.memory().numTensors;
    await lab.trainStep();
    await lab.evaluate();
    expect(tf.memory().numTensors).toBe(settled);
    expect(afterCreate).toBeGreaterThan(before);
    lab.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const result = await train(rotationLabConfig(settings), lab.train);
    expect(result.losses).toEqual(losses);
    result.method.dispose();
  });
});
