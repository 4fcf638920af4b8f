import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint/checkpoint';
import { readMetrics } from '../metrics/metrics-log';
import { type GeometryConfigOverrides, resolveGeometryConfig } from './geometry-config';
import { syntheticGeometryData } from './geometry-data';
import { trainGeometry } from './train-geometry';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function runDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-geometry-'));
  dirs.push(d);
  return d;
}

/** A CI-sized run: 32x96 images, a narrow depthNet and poseNet, a pool of a few scenes. */
function tiny(overrides: GeometryConfigOverrides) {
  return resolveGeometryConfig({
    height: 32,
    width: 96,
    batchSize: 2,
    poolSize: 4,
    samples: 1,
    depthNet: { encoderWidths: [8, 8, 16, 16, 16], decoderWidths: [8, 8, 8, 16, 16] },
    poseNet: { widths: [8, 16, 16, 16, 16] },
    learningRate: 2e-3,
    warmupFraction: 0,
    checkpointEvery: 2,
    ...overrides,
  });
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// wasm only: tfjs's cpu backend is about 70x slower on these convnets (see DESIGN.md).
describe.runIf(testBackend() === 'wasm')('trainGeometry', () => {
  it.each(['stereo', 'monodepth2'] as const)(
    '%s: the loss falls on a tiny synthetic scene pool, without leaking tensors',
    { timeout: 120_000 },
    async (method) => {
      const before = tf.memory().numTensors;
      const config = tiny({ method, steps: 30, poolSize: 2, schedule: 'step' });
      const result = await trainGeometry({ config, data: syntheticGeometryData(config) });
      result.models.dispose();
      expect(result.stopped).toBe('completed');
      expect(result.losses).toHaveLength(30);
      const first = mean(result.losses.slice(0, 5));
      const last = mean(result.losses.slice(-5));
      expect(last).toBeLessThan(0.85 * first);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it.each(['stereo', 'sfmlearner'] as const)(
    '%s: N + M resumed steps equal N + M uninterrupted ones, with metrics and an atomic checkpoint',
    { timeout: 120_000 },
    async (method) => {
      const config = tiny({ method, steps: 4 });
      const straightDir = await runDir();
      const straight = await trainGeometry({
        config,
        data: syntheticGeometryData(config),
        runDir: straightDir,
      });
      straight.models.dispose();

      const dir = await runDir();
      const first = await trainGeometry({
        config,
        data: syntheticGeometryData(config),
        runDir: dir,
        stopAfter: 2,
      });
      first.models.dispose();
      expect(first.stopped).toBe('stopAfter');
      expect((await loadCheckpoint(dir)).step).toBe(2);
      const second = await trainGeometry({
        config,
        data: syntheticGeometryData(config),
        runDir: dir,
        resume: true,
      });
      expect([...first.losses, ...second.losses]).toEqual(straight.losses);
      expect(second.step).toBe(4);

      // The same weights bit for bit, through the shared checkpoint writer (no temporary folders left).
      const a = await loadCheckpoint(straightDir);
      const b = await loadCheckpoint(dir);
      expect(Object.keys(b.groups).sort()).toEqual(
        method === 'stereo'
          ? ['extra', 'model:depth', 'optimizer']
          : ['extra', 'model:depth', 'model:pose', 'optimizer'],
      );
      for (const group of Object.keys(a.groups))
        a.groups[group]!.forEach((saved, i) => {
          expect(Array.from(b.groups[group]![i]!.values)).toEqual(Array.from(saved.values));
        });
      expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'metrics.jsonl']);
      const metrics = await readMetrics<{ step: number; loss: number }>(dir);
      expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
      expect(metrics.map((m) => m.loss)).toEqual(straight.losses);
      second.models.dispose();
    },
  );

  it('refuses a resume of another run and data of the wrong kind', async () => {
    const dir = await runDir();
    const config = tiny({ method: 'stereo', steps: 1 });
    (await trainGeometry({ config, data: syntheticGeometryData(config), runDir: dir })).models.dispose();
    const other = tiny({ method: 'stereo', steps: 1, seed: 9 });
    await expect(
      trainGeometry({ config: other, data: syntheticGeometryData(other), runDir: dir, resume: true }),
    ).rejects.toThrow(/is a stereo run \(seed 0.*asks for stereo \(seed 9/);
    const mono = tiny({ method: 'monodepth2', steps: 1 });
    await expect(trainGeometry({ config: mono, data: syntheticGeometryData(config) })).rejects.toThrow(
      "trainGeometry: 'monodepth2' trains on frame triplets but the data holds stereo pairs.",
    );
  });
});
