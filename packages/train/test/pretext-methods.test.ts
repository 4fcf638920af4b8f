import { ArgumentError } from '@genoise/core';
import { uint8Dataset } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { memoryRunStore } from '../src/checkpoint/run-store';
import { resolveTrainConfig } from '../src/config/train-config';
import { createMethod, train } from '../src/loop/fit';
import { blobs, colourBlobs } from './golden/golden-runs';

// The pretext methods (issue 10): each is a method file plus a registry line. Each trains a few steps
// of 16 on 64 seeded blobs (colorization: colour blobs) with a narrow encoder; the loss must fall.
function config(name: string, method: Record<string, unknown> = {}, steps = 24) {
  return resolveTrainConfig({
    seed: 3,
    batchSize: 16,
    steps,
    warmupFraction: 0,
    learningRate: 3e-3,
    method: { name, encoder: { name: 'small-convnet', widths: [8, 16] }, ...method },
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function run(name: string, method: Record<string, unknown> = {}, steps = 24) {
  const before = tf.memory().numTensors;
  const store = memoryRunStore();
  const data = name === 'colorization' ? colourBlobs(64) : blobs(64);
  const result = await train(config(name, method, steps), data, { store });
  result.method.dispose();
  expect(tf.memory().numTensors).toBe(before);
  expect(result.losses.every(Number.isFinite)).toBe(true);
  return { losses: result.losses, metrics: store.metrics as unknown as Record<string, number>[] };
}

describe('the pretext methods train on seeded blobs', () => {
  it.each([
    ['rotation', {}],
    ['jigsaw', { permutations: 10, imageSize: 27, tileSize: 7, hidden: [16] }],
    ['relative-location', { imageSize: 36, patchSize: 8, gap: 4, hidden: [16] }],
    ['inpainting', {}],
    ['colorization', { priorImages: 64 }],
    ['dae', { decoderWidths: [16, 8, 8] }],
  ] as const)('%s: the loss falls', { timeout: 600_000 }, async (name, options) => {
    const { losses } = await run(name, options);
    expect(mean(losses.slice(-6))).toBeLessThan(mean(losses.slice(0, 6)));
  });

  it('rotation reports its task accuracy with each step, and it rises above chance (1/4)', {
    timeout: 600_000,
  }, async () => {
    // Round blobs at uniform positions look the same under every rotation; a lit top ("sky") gives the
    // images an upright orientation to find.
    const grey = blobs(64);
    const values = grey.floatPixels!(Array.from({ length: 64 }, (_, i) => i));
    const pixels = Uint8Array.from(values, (v, i) =>
      Math.round(255 * (0.5 * v + 0.5 * (1 - Math.floor((i % 144) / 12) / 11))),
    );
    const sky = uint8Dataset({ name: 'sky blobs', pixels, imageShape: [12, 12, 1] });
    const store = memoryRunStore();
    const result = await train(config('rotation', {}, 40), sky, { store });
    result.method.dispose();
    const metrics = store.metrics as unknown as Record<string, number>[];
    const accuracy = metrics.map((m) => m['accuracy']!);
    expect(accuracy).toHaveLength(40);
    for (const a of accuracy) expect(a).toBeGreaterThanOrEqual(0);
    expect(mean(accuracy.slice(-8))).toBeGreaterThan(0.4);
  });
});

describe('pretext options are checked before anything is built', () => {
  it.each([
    ['jigsaw', { imageSize: 28 }, /method\.imageSize.*multiple of 3/],
    ['jigsaw', { permutations: 1 }, /method\.permutations/],
    ['relative-location', { imageSize: 20, patchSize: 8 }, /method\.imageSize.*at least 3 patchSize/],
    ['rotation', { mode: 'some' }, /method\.mode/],
    ['dae', { corruption: 'blur' }, /method\.corruption/],
    ['inpainting', { fraction: 1 }, /method\.fraction/],
  ] as const)('%s %o', (name, options, message) => {
    expect(() => config(name, options)).toThrow(message);
  });

  it('colorization refuses grey data, naming what it needs', async () => {
    const error = await createMethod(config('colorization'), blobs(8)).catch((e: unknown) => e);
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/colorization.*data.*colour images \[H, W, 3\]/);
  });

  it("colorization's encoder sees lightness: encoderInput maps RGB to L / 100, one channel", async () => {
    const method = await createMethod(config('colorization', { priorImages: 8 }), colourBlobs(8));
    const white = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    const L = method.encoderInput!(white);
    expect(L.shape).toEqual([1, 2, 2, 1]);
    for (const v of await L.data()) expect(v).toBeCloseTo(1, 4); // white: L = 100
    tf.dispose([white, L]);
    method.dispose();
  });
});
