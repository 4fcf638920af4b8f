import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryRunStore } from '../src/checkpoint/run-store';
import { resolveTrainConfig } from '../src/config/train-config';
import { type FitResult, train } from '../src/loop/fit';
import { methodNames, methodSpec } from '../src/method/registry';
import { folderRunStore, loadCheckpoint, readMetrics } from '../src/node/index';
import { blobs, colourBlobs } from './golden/golden-runs';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function runDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-train-'));
  dirs.push(d);
  return d;
}

/**
 * A tiny run of any representation method: 4 steps of 8 on 12x12 blobs, with a narrow encoder and
 * head. Options a method has (read from its spec, not its name) are shrunk too.
 */
function tinyConfig(name: string, overrides: { seed?: number; steps?: number } = {}) {
  const options = methodSpec(name).options as Record<string, unknown>;
  return resolveTrainConfig({
    seed: 3,
    batchSize: 8,
    steps: 4,
    checkpointEvery: 2,
    ...overrides,
    method: {
      name,
      encoder: { name: 'small-convnet', widths: [8, 16] },
      ...('projection' in options ? { projection: { hiddenDim: 32, outputDim: 16 } } : {}),
      ...('predictorHiddenDim' in options ? { predictorHiddenDim: 32 } : {}),
      ...('queueSize' in options ? { queueSize: 64 } : {}),
      ...('hidden' in options ? { hidden: [8] } : {}),
      ...('permutations' in options ? { permutations: 10 } : {}),
      ...('decoderWidths' in options ? { decoderWidths: [8, 8, 8] } : {}),
      ...('priorImages' in options ? { priorImages: 16 } : {}),
    },
  });
}

async function weightsOf(result: FitResult): Promise<number[][]> {
  return Promise.all(
    result.method.models.flatMap(({ model }) => model.weights.map(async (w) => [...(await w.read().data())])),
  );
}

const REPRESENTATION = methodNames((spec) => spec.task === 'representation');

it('covers every representation method in the registry, the three new ones included', () => {
  expect(REPRESENTATION).toEqual(
    expect.arrayContaining(['simclr', 'moco', 'byol', 'simsiam', 'barlow-twins', 'vicreg']),
  );
});

describe.each(REPRESENTATION)('%s through the loop', (name) => {
  const data = methodSpec(name).imageChannels === 3 ? colourBlobs(64) : blobs(64);

  it('gives the same loss curve bit for bit for the same seed, and resumes exactly across a folder store', {
    timeout: 300_000,
  }, async () => {
    const before = tf.memory().numTensors;
    const config = tinyConfig(name);
    const straight = await train(config, data, { store: folderRunStore(await runDir()) });
    expect(straight.stopped).toBe('completed');
    expect(straight.losses).toHaveLength(4);
    expect(straight.losses.every(Number.isFinite)).toBe(true);
    const straightWeights = await weightsOf(straight);
    straight.method.dispose();

    // Without a store, the same numbers (the store only observes).
    const again = await train(config, data);
    again.method.dispose();
    expect(again.losses).toEqual(straight.losses);

    // Interrupted after 2 steps (a checkpoint is written then), resumed in a fresh call.
    const dir = await runDir();
    const first = await train(config, data, { store: folderRunStore(dir), stopAfter: 2 });
    first.method.dispose();
    expect(first.stopped).toBe('stopAfter');
    expect(first.step).toBe(2);
    expect((await loadCheckpoint(dir)).step).toBe(2);
    const resumed = await train(config, data, { store: folderRunStore(dir), resume: true });
    // Bit for bit to the last weight, every model (targets, key encoders and predictors too), Adam's
    // bias-correction powers included (tfjs' setWeights recomputes them with pow: a last-bit difference).
    expect(await weightsOf(resumed)).toEqual(straightWeights);
    resumed.method.dispose();
    expect(resumed.step).toBe(4);
    expect(resumed.stopped).toBe('completed');
    expect([...first.losses, ...resumed.losses]).toEqual(straight.losses);
    const metrics = await readMetrics<{ step: number; loss: number }>(dir);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(metrics.map((m) => m.loss)).toEqual(straight.losses);
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'metrics.jsonl']);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a run that dies or is aborted', () => {
  const data = blobs(64);

  it('resumes from the last periodic checkpoint, dropping the metrics lines logged after it', async () => {
    const config = tinyConfig('moco'); // a queue in the extra state, so it must come back too
    const straight = await train(config, data);
    straight.method.dispose();

    const dir = await runDir();
    // onStep throws after step 3: the last checkpoint is step 2 (every 2), the log has 3 lines.
    const crash = new Error('power cut');
    await expect(
      train(config, data, {
        store: folderRunStore(dir),
        onStep: (event) => {
          if (event.step === 3) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect((await loadCheckpoint(dir)).step).toBe(2);
    expect((await readMetrics<{ step: number }>(dir)).map((m) => m.step)).toEqual([1, 2, 3]);

    const resumed = await train(config, data, { store: folderRunStore(dir), resume: true });
    resumed.method.dispose();
    expect(resumed.losses).toEqual(straight.losses.slice(2));
    expect((await readMetrics<{ step: number }>(dir)).map((m) => m.step)).toEqual([1, 2, 3, 4]);
  });

  it('stops after the current step on abort, with a checkpoint, and resumes from there', async () => {
    const config = tinyConfig('simclr');
    const straight = await train(config, data);
    straight.method.dispose();
    const store = memoryRunStore();
    const controller = new AbortController();
    const events: number[] = [];
    const first = await train(config, data, {
      store,
      signal: controller.signal,
      onStep: (event) => {
        events.push(event.step);
        if (event.step === 1) controller.abort();
      },
    });
    first.method.dispose();
    expect(first.stopped).toBe('aborted');
    expect(events).toEqual([1]);
    expect((await store.load())?.step).toBe(1);
    const resumed = await train(config, data, { store, resume: true });
    resumed.method.dispose();
    expect([...first.losses, ...resumed.losses]).toEqual(straight.losses);
    expect(store.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
  });
});

describe('train input errors', () => {
  const data = blobs(32);

  it('refuses to resume without a checkpoint, without a store, or from another run', async () => {
    const before = tf.memory().numTensors;
    const dir = await runDir();
    await expect(
      train(tinyConfig('simclr'), data, { store: folderRunStore(dir), resume: true }),
    ).rejects.toThrow(`train: '${dir}' has no checkpoint to resume from.`);
    await expect(
      train(tinyConfig('simclr'), data, { store: memoryRunStore(), resume: true }),
    ).rejects.toThrow('has no checkpoint');
    await expect(train(tinyConfig('simclr'), data, { resume: true })).rejects.toThrow(
      "train: 'resume' needs a 'store' holding a checkpoint.",
    );

    const done = await train(tinyConfig('simclr'), data, { store: folderRunStore(dir), stopAfter: 1 });
    done.method.dispose();
    await expect(
      train(tinyConfig('byol'), data, { store: folderRunStore(dir), resume: true }),
    ).rejects.toThrow(
      `train: the checkpoint in '${dir}' is a simclr run (seed 3, batch 8) but the config asks for byol (seed 3, batch 8) or another architecture.`,
    );
    await expect(
      train(tinyConfig('simclr', { seed: 4 }), data, { store: folderRunStore(dir), resume: true }),
    ).rejects.toThrow('is a simclr run (seed 3, batch 8) but the config asks for simclr (seed 4, batch 8)');
    // Same method, seed and batch but another architecture.
    const wider = resolveTrainConfig({
      ...tinyConfig('simclr'),
      method: { ...tinyConfig('simclr').method, projection: { hiddenDim: 32, outputDim: 8 } },
    });
    await expect(train(wider, data, { store: folderRunStore(dir), resume: true })).rejects.toThrow(
      'or another architecture',
    );
    // A budget that differs is the same run.
    const longer = await train(tinyConfig('simclr', { steps: 2 }), data, {
      store: folderRunStore(dir),
      resume: true,
    });
    expect(longer.totalSteps).toBe(4); // the checkpoint's config decides the budget
    longer.method.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a batch larger than the data, without leaking the models it built', async () => {
    const before = tf.memory().numTensors;
    const error = await train(resolveTrainConfig({ ...tinyConfig('simclr'), batchSize: 64 }), data).catch(
      (e: unknown) => e,
    );
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "fit: 'batchSize' is 64 but expected at most the dataset size (32).",
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
