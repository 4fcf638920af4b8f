import { ArgumentError, createKey, uniformValues } from '@genoise/core';
import { createMethod, fit as fitLoop, methodNames } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import type { FashionSubset } from '../lib/fashion-data';
import {
  alignAxes,
  ContrastiveSession,
  DEFAULT_SETTINGS,
  representationMethods,
  sessionConfig,
} from './contrastive-session';

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
  test('offers every representation method of the registry that trains on grey images, labelled by its summary', () => {
    const methods = representationMethods();
    // Registry order; a method added there appears with no change in the studio. Those that need colour
    // (imageChannels 3: colorization) are left out.
    const expected = methodNames((spec) => spec.task === 'representation' && (spec.imageChannels ?? 1) === 1);
    expect(methods.map((m) => m.name)).toEqual(expected);
    expect(expected.slice(0, 6)).toEqual(['simclr', 'moco', 'byol', 'simsiam', 'barlow-twins', 'vicreg']);
    for (const name of methodNames((spec) => spec.imageChannels === 3)) expect(expected).not.toContain(name);
    for (const m of methods) expect(m.summary.length).toBeGreaterThan(10);
    expect(DEFAULT_SETTINGS.method).toBe(methods[0]!.name);
  });

  test('an unknown method is an error naming the choices, and a reset to it keeps the old run', async () => {
    expect(() => sessionConfig({ ...DEFAULT_SETTINGS, method: 'stereo' })).toThrow(ArgumentError);
    expect(() => sessionConfig({ ...DEFAULT_SETTINGS, method: 'nope' })).toThrow(
      `ContrastiveSession: 'method' is "nope" but expected 'simclr' | 'moco' | 'byol'`,
    );
    const session = await ContrastiveSession.create(toySubset(), settings);
    const count = tf.memory().numTensors;
    await expect(session.reset({ method: 'nope' })).rejects.toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(count);
    expect(Number.isFinite((await session.trainStep()).loss)).toBe(true);
    session.dispose();
  });

  test('a queue-based method keeps 1024 keys on the studio set; the others keep their defaults', () => {
    const names = representationMethods().map((m) => m.name);
    const configs = names.map((method) => sessionConfig({ ...DEFAULT_SETTINGS, method }));
    const withQueue = configs.filter((c) => 'queueSize' in c.method);
    expect(withQueue.length).toBeGreaterThan(0);
    for (const c of withQueue) expect(c.method['queueSize']).toBe(1024);
    for (const c of configs) {
      expect(c.steps).toBe(DEFAULT_SETTINGS.scheduleSteps);
      expect(c.batchSize).toBe(DEFAULT_SETTINGS.batchSize);
    }
  });

  test("its steps are fit's steps: the same losses, bit for bit, for the same config and data", async () => {
    for (const method of ['simclr', 'byol']) {
      const session = await ContrastiveSession.create(toySubset(), { ...settings, method });
      const sessionLosses = [];
      for (let i = 0; i < 3; i++) sessionLosses.push((await session.trainStep()).loss);
      const trained = await createMethod(session.config, session.train);
      const result = await fitLoop(trained, session.train, { config: session.config, stopAfter: 3 });
      trained.dispose();
      expect(result.losses).toEqual(sessionLosses);
      session.dispose();
    }
  });

  test('after a schedule cycle the learning rate starts again (warm restart)', async () => {
    const session = await ContrastiveSession.create(toySubset(), { ...settings, scheduleSteps: 3 });
    const rates = [];
    for (let i = 0; i < 4; i++) rates.push((await session.trainStep()).learningRate);
    expect(rates[3]).toBe(rates[0]);
    expect(rates[1]).toBeGreaterThan(rates[2]!);
    session.dispose();
  });

  test.each(representationMethods().map((m) => m.name))(
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
