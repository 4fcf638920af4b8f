import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@genoise/core';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/config/train-config';
import { syntheticDepthData } from '../src/depth/synthetic-depth-data';
import { train } from '../src/loop/fit';
import { methodNames, methodSpec } from '../src/method/registry';
import { folderRunStore, loadCheckpoint, readMetrics } from '../src/node/index';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function runDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-depth-'));
  dirs.push(d);
  return d;
}

/**
 * A CI-sized depth run: 32x96 images, a narrow depthNet (and poseNet, for the methods that have one),
 * a pool of a few scenes. Options are read from the method's spec, not its name.
 */
function tiny(
  name: string,
  shared: { steps: number; seed?: number; schedule?: 'step' },
  options: Record<string, unknown> = {},
) {
  const hasPose = 'poseNet' in (methodSpec(name).options as object);
  return resolveTrainConfig({
    batchSize: 2,
    learningRate: 2e-3,
    warmupFraction: 0,
    checkpointEvery: 2,
    ...shared,
    method: {
      name,
      height: 32,
      width: 96,
      poolSize: 4,
      samples: 1,
      depthNet: { encoderWidths: [8, 8, 16, 16, 16], decoderWidths: [8, 8, 8, 16, 16] },
      ...(hasPose ? { poseNet: { widths: [8, 16, 16, 16, 16] } } : {}),
      ...options,
    },
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

it('the registry has the three depth methods, on stereo pairs or frame triplets', () => {
  expect(methodNames((s) => s.task === 'depth')).toEqual(['stereo', 'monodepth2', 'sfmlearner']);
  expect(['stereo', 'monodepth2', 'sfmlearner'].map((n) => methodSpec(n).data)).toEqual([
    'stereo-pairs',
    'frame-triplets',
    'frame-triplets',
  ]);
});

// wasm only: tfjs's cpu backend is about 70x slower on these convnets (see DESIGN.md).
describe.runIf(testBackend() === 'wasm')('depth methods through the loop', () => {
  it.each(['stereo', 'monodepth2'])(
    '%s: the loss falls on a tiny synthetic scene pool, logging its terms, without leaking tensors',
    { timeout: 120_000 },
    async (name) => {
      const before = tf.memory().numTensors;
      const config = tiny(name, { steps: 30, schedule: 'step' }, { poolSize: 2 });
      const terms: string[][] = [];
      const result = await train(config, syntheticDepthData(config), {
        onStep: (event) => {
          terms.push(Object.keys(event.terms).sort());
        },
      });
      result.method.dispose();
      expect(result.stopped).toBe('completed');
      expect(result.losses).toHaveLength(30);
      expect(result.losses.every(Number.isFinite)).toBe(true);
      const first = mean(result.losses.slice(0, 5));
      const last = mean(result.losses.slice(-5));
      expect(last).toBeLessThan(0.85 * first);
      expect(terms[0]).toEqual(
        name === 'stereo'
          ? ['appearance', 'consistency', 'smoothness']
          : ['automask', 'reprojection', 'smoothness'],
      );
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each(['stereo', 'sfmlearner'])(
    '%s: N + M resumed steps equal N + M uninterrupted ones (weights, Adam moments and powers), with metrics',
    { timeout: 120_000 },
    async (name) => {
      const config = tiny(name, { steps: 4 });
      const straightDir = await runDir();
      const straight = await train(config, syntheticDepthData(config), {
        store: folderRunStore(straightDir),
      });
      straight.method.dispose();

      const dir = await runDir();
      const first = await train(config, syntheticDepthData(config), {
        store: folderRunStore(dir),
        stopAfter: 2,
      });
      first.method.dispose();
      expect(first.stopped).toBe('stopAfter');
      expect((await loadCheckpoint(dir)).step).toBe(2);
      const second = await train(config, syntheticDepthData(config), {
        store: folderRunStore(dir),
        resume: true,
      });
      second.method.dispose();
      expect([...first.losses, ...second.losses]).toEqual(straight.losses);
      expect(second.step).toBe(4);

      // The same weights and optimizer state bit for bit. Steps 3 and 4 used Adam's bias-correction
      // powers as restored at step 2; a last-bit difference there would show in these weights.
      const a = await loadCheckpoint(straightDir);
      const b = await loadCheckpoint(dir);
      expect(Object.keys(b.groups).sort()).toEqual(
        name === 'stereo'
          ? ['extra', 'model:depth', 'optimizer']
          : ['extra', 'model:depth', 'model:pose', 'optimizer'],
      );
      expect(b.groups['optimizer']!.length).toBeGreaterThan(0);
      for (const group of Object.keys(a.groups)) {
        // (Names carry tfjs's per-process layer counters, so only count and order are compared.)
        expect(b.groups[group]!.map((s) => s.shape)).toEqual(a.groups[group]!.map((s) => s.shape));
        a.groups[group]!.forEach((saved, i) => {
          expect(Array.from(b.groups[group]![i]!.values)).toEqual(Array.from(saved.values));
        });
      }
      expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'metrics.jsonl']);
      const metrics = await readMetrics<{ step: number; loss: number; appearance?: number }>(dir);
      expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
      expect(metrics.map((m) => m.loss)).toEqual(straight.losses);
    },
  );

  it('refuses a resume of another run, and data of the wrong kind, size or count', async () => {
    const dir = await runDir();
    const config = tiny('stereo', { steps: 1 });
    (await train(config, syntheticDepthData(config), { store: folderRunStore(dir) })).method.dispose();
    const other = tiny('stereo', { steps: 1, seed: 9 });
    await expect(
      train(other, syntheticDepthData(other), { store: folderRunStore(dir), resume: true }),
    ).rejects.toThrow(
      /is a stereo run \(seed 0, batch 2\) but the config asks for stereo \(seed 9, batch 2\)/,
    );

    const before = tf.memory().numTensors;
    const mono = tiny('monodepth2', { steps: 1 });
    const wrongKind = await train(mono, syntheticDepthData(config)).catch((e: unknown) => e);
    expect(ArgumentError.isInstance(wrongKind)).toBe(true);
    expect((wrongKind as Error).message).toBe(
      'fit: the method trains on frame triplets but the data holds stereo pairs.',
    );
    const stereoOnTriplets = await train(config, syntheticDepthData(mono)).catch((e: unknown) => e);
    expect((stereoOnTriplets as Error).message).toBe(
      'fit: the method trains on stereo pairs but the data holds frame triplets.',
    );
    const larger = tiny('stereo', { steps: 1 }, { height: 64 });
    await expect(train(larger, syntheticDepthData(config))).rejects.toThrow(
      "fit: the data's images are 32x96 but the config asks for 64x96; load the folder at the config's size.",
    );
    const onePair = tiny('stereo', { steps: 1 }, { poolSize: 1 });
    await expect(train(config, syntheticDepthData(onePair))).rejects.toThrow(
      'fit: the data has 1 examples, fewer than a batch of 2.',
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => syntheticDepthData(resolveTrainConfig({ method: { name: 'simclr' } }))).toThrow(
      `syntheticDepthData: 'config.method.name' is "simclr" but expected a method that trains on stereo pairs or frame triplets.`,
    );
  });
});
