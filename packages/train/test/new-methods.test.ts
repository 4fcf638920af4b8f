import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { memoryRunStore } from '../src/checkpoint/run-store';
import { resolveTrainConfig } from '../src/config/train-config';
import { type StepEvent, train } from '../src/loop/fit';
import { blobs } from './golden/golden-runs';

// SimSiam, Barlow Twins and VICReg: each is one method file plus one registry line. Here each trains
// 16 steps of 16 on 64 seeded blobs with a narrow encoder.
function config(name: string, method: Record<string, unknown> = {}, steps = 16) {
  return resolveTrainConfig({
    seed: 2,
    batchSize: 16,
    steps,
    warmupFraction: 0,
    method: {
      name,
      encoder: { name: 'small-convnet', widths: [8, 16] },
      projection: { hiddenDim: 32, outputDim: 16 },
      ...method,
    },
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function run(name: string, method: Record<string, unknown> = {}, steps = 16) {
  const before = tf.memory().numTensors;
  const events: StepEvent[] = [];
  const store = memoryRunStore();
  const result = await train(config(name, method, steps), blobs(64), {
    store,
    onStep: (e) => {
      events.push(e);
    },
  });
  result.method.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(result.losses).toHaveLength(steps);
  expect(result.losses.every(Number.isFinite)).toBe(true);
  expect(events.map((e) => [e.method, e.step])).toEqual(result.losses.map((_, i) => [name, i + 1]));
  expect(events.map((e) => e.loss)).toEqual(result.losses);
  return { losses: result.losses, events, metrics: store.metrics as unknown as Record<string, number>[] };
}

// Measured (seed 2, wasm), mean of the first four steps -> last four: SimSiam 0.006 -> -0.194,
// Barlow Twins 11.8 -> 9.3, VICReg 41.5 -> 24.8.
describe('the new methods train on seeded blobs', () => {
  it('simsiam: a negative cosine in [-1, 1] that falls', async () => {
    const { losses } = await run('simsiam', { predictorHiddenDim: 16 });
    for (const loss of losses) expect(Math.abs(loss)).toBeLessThanOrEqual(1);
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)) - 0.05);
  });

  it('barlow-twins: a non-negative loss that falls', async () => {
    const { losses } = await run('barlow-twins');
    for (const loss of losses) expect(loss).toBeGreaterThanOrEqual(0);
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));
  });

  it('vicreg: falls, and reports its three terms in each StepEvent and in the metrics', async () => {
    const { losses, events, metrics } = await run('vicreg');
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));
    for (const [i, { terms, loss }] of events.entries()) {
      expect(Object.keys(terms).sort()).toEqual(['covariance', 'invariance', 'variance']);
      expect(terms['invariance']).toBeGreaterThanOrEqual(0);
      expect(terms['covariance']).toBeGreaterThanOrEqual(0);
      // mean over D of relu(1 - std): in [0, 1]
      expect(terms['variance']).toBeGreaterThanOrEqual(0);
      expect(terms['variance']).toBeLessThanOrEqual(1);
      // The loss is the weighted sum of the logged terms (defaults λ 25, μ 25, ν 1).
      const sum = 25 * terms['invariance']! + 25 * terms['variance']! + terms['covariance']!;
      expect(Math.abs(loss - sum)).toBeLessThanOrEqual(1e-5 * Math.abs(sum) + 1e-5);
      expect(metrics[i]).toMatchObject({ step: i + 1, loss, ...terms });
    }
  });

  it('vicreg: the weights are its options (invariance only: the loss is exactly the invariance term)', async () => {
    const { events } = await run('vicreg', { invariance: 1, variance: 0, covariance: 0 }, 2);
    for (const { loss, terms } of events) expect(loss).toBe(terms['invariance']);
  });
});
