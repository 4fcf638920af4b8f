import { createKey, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import type { FashionSubset } from '../lib/fashion-data';
import { alignAxes, ContrastiveSession } from './contrastive-session';

/** A small random stand-in for the shipped subset: 20 train and 5 test images per class. */
function toySubset(): FashionSubset {
  const bytes = (n: number, seed: number) =>
    Uint8Array.from(uniformValues(createKey(seed), n * 784), (v) => Math.floor(v * 256));
  const labels = (perClass: number) =>
    Int32Array.from({ length: perClass * 10 }, (_, i) => Math.floor(i / perClass));
  return {
    side: 28,
    train: { pixels: bytes(200, 1), labels: labels(20) },
    test: { pixels: bytes(50, 2), labels: labels(5) },
  };
}

const settings = { batchSize: 8, bankSize: 60, evalSize: 30, k: 5, scheduleSteps: 50 };

describe('ContrastiveSession', () => {
  test.each(['simclr', 'moco', 'byol'] as const)(
    '%s trains, evaluates and leaks no tensors across pause, resume and reset',
    async (method) => {
      const before = tf.memory().numTensors;
      const session = await ContrastiveSession.create(toySubset(), { ...settings, method });
      const fresh = tf.memory().numTensors;
      const first = await session.trainStep();
      expect(Number.isFinite(first.loss)).toBe(true);
      await session.trainStep();
      const evaluation = await session.evaluate();
      expect(evaluation.points).toHaveLength(60);
      expect(evaluation.knnTop1).toBeGreaterThanOrEqual(0);
      const paused = tf.memory().numTensors; // "pause": nothing runs between calls
      await session.trainStep(); // "resume"
      await session.trainStep();
      await session.evaluate();
      await session.neighbours(3, 4);
      expect(tf.memory().numTensors).toBe(paused);
      await session.reset();
      expect(session.step).toBe(0);
      expect(tf.memory().numTensors).toBe(fresh);
      session.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  test('the same seed gives the same losses; neighbours come from the bank', async () => {
    const a = await ContrastiveSession.create(toySubset(), settings);
    const lossesA = [(await a.trainStep()).loss, (await a.trainStep()).loss];
    await a.reset();
    const lossesB = [(await a.trainStep()).loss, (await a.trainStep()).loss];
    expect(lossesB[0]).toBeCloseTo(lossesA[0]!, 4);
    expect(lossesB[1]).toBeCloseTo(lossesA[1]!, 4);
    const found = await a.neighbours(0, 4);
    expect(found.trainIndices).toHaveLength(4);
    for (const i of found.trainIndices) expect(a.bankIndices).toContain(i);
    expect(found.scores[0]!).toBeGreaterThanOrEqual(found.scores[3]!);
    a.dispose();
  });

  test('saves and loads the encoder through a tf.io handler', async () => {
    const session = await ContrastiveSession.create(toySubset(), settings);
    await session.trainStep();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await session.saveEncoder({
      save: async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      },
    });
    const trained = await session.evaluate();
    await session.reset();
    const random = await session.evaluate();
    expect(random.points).not.toEqual(trained.points);
    const before = tf.memory().numTensors;
    const step = await session.loadEncoder(tf.io.fromMemory(artifacts!));
    expect(step).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const loaded = await session.evaluate();
    expect(loaded.knnTop1).toBe(trained.knnTop1);
    session.dispose();
  });
});

describe('alignAxes', () => {
  test('flips each axis that points the other way', () => {
    const previous = Float32Array.of(1, 1, 2, 2);
    expect(Array.from(alignAxes(previous, Float32Array.of(-1, 1, -2, 2)))).toEqual([1, 1, 2, 2]);
    expect(Array.from(alignAxes(undefined, Float32Array.of(-1, 1)))).toEqual([-1, 1]);
  });
});
