import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey, uniformValues } from '@genoise/core';
import { uint8Dataset } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/checkpoint/checkpoint';
import { type MethodName, resolveTrainConfig } from '../src/config/train-config';
import { train } from '../src/loop/train';
import { readMetrics } from '../src/metrics/metrics-log';

// A small synthetic dataset (seeded blobs), so these tests exercise the loop, not the data.
function blobs(count: number, size = 12): ReturnType<typeof uint8Dataset> {
  const values = uniformValues(createKey(5), count * 2);
  const pixels = new Uint8Array(count * size * size);
  for (let n = 0; n < count; n++) {
    const cx = values[2 * n]! * size;
    const cy = values[2 * n + 1]! * size;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        pixels[(n * size + y) * size + x] = Math.max(0, 255 - 40 * Math.hypot(x - cx, y - cy));
  }
  return uint8Dataset({ name: 'blobs', pixels, imageShape: [size, size, 1] });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function runDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-train-'));
  dirs.push(d);
  return d;
}

function tinyConfig(method: MethodName) {
  return resolveTrainConfig({
    method,
    seed: 3,
    batchSize: 16,
    steps: 6,
    encoder: { name: 'small-convnet', widths: [8, 16] },
    projection: { hiddenDim: 32, outputDim: 16 },
    prediction: { hiddenDim: 32 },
    moco: { queueSize: 64 },
    checkpointEvery: 2,
  });
}

describe.each(['simclr', 'moco', 'byol'] as const)('%s training loop', (method) => {
  const dataset = blobs(64);

  it('gives the same loss curve bit for bit for the same seed, and resumes exactly', async () => {
    const before = tf.memory().numTensors;
    const config = tinyConfig(method);
    const straight = await train({ config, dataset, runDir: await runDir() });
    const weightsOf = async (r: typeof straight) =>
      Promise.all(
        r.method.models.flatMap(({ model }) => model.weights.map(async (w) => [...(await w.read().data())])),
      );
    const straightWeights = await weightsOf(straight);
    straight.method.dispose();
    const again = await train({ config, dataset });
    again.method.dispose();
    expect(again.losses).toEqual(straight.losses);
    expect(straight.losses.every(Number.isFinite)).toBe(true);

    // Interrupted after 3 steps (checkpoint written then), resumed in a fresh call.
    const dir = await runDir();
    const first = await train({ config, dataset, runDir: dir, stopAfter: 3 });
    first.method.dispose();
    expect(first.stopped).toBe('stopAfter');
    expect((await loadCheckpoint(dir)).step).toBe(3);
    const resumed = await train({ config, dataset, runDir: dir, resume: true });
    // Bit for bit to the last weight (Adam's bias-correction powers included, which tfjs' setWeights
    // recomputes with pow and would leave a last-bit difference).
    expect(await weightsOf(resumed)).toEqual(straightWeights);
    resumed.method.dispose();
    expect(resumed.step).toBe(6);
    expect([...first.losses, ...resumed.losses]).toEqual(straight.losses);
    expect((await readMetrics<{ step: number }>(dir)).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('train input errors', () => {
  it('refuses to resume without a checkpoint, or another run', async () => {
    const dataset = blobs(32);
    const dir = await runDir();
    await expect(train({ config: tinyConfig('simclr'), dataset, runDir: dir, resume: true })).rejects.toThrow(
      'has no checkpoint',
    );
    const done = await train({ config: tinyConfig('simclr'), dataset, runDir: dir, stopAfter: 1 });
    done.method.dispose();
    await expect(train({ config: tinyConfig('byol'), dataset, runDir: dir, resume: true })).rejects.toThrow(
      "train: the checkpoint in '" +
        dir +
        "' is a simclr run (seed 3, batch 16) but the config asks for byol (seed 3, batch 16).",
    );
    await expect(train({ config: resolveTrainConfig({ batchSize: 64 }), dataset })).rejects.toThrow(
      "train: 'batchSize' is 64 but expected at most the dataset size (32).",
    );
  });
});
