import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenoiseError } from '@genoise/core';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryRunStore, type RunStore } from '../checkpoint/run-store';
import { folderRunStore } from './folder-run-store';
import { appendMetrics, readMetrics, truncateMetrics } from './metrics-log';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const groups = {
  'model:encoder': [{ name: 'w', shape: [3], values: Float32Array.of(1, -2, 0.25) }],
  optimizer: [],
  extra: [{ name: 'queue', shape: [1, 2], values: Float32Array.of(5, 6), meta: { pointer: 1 } }],
};

// The same contract for both stores: what the loop relies on.
describe.each([
  ['folderRunStore', async () => folderRunStore(join(await tempDir(), 'run'))],
  ['memoryRunStore', async () => memoryRunStore()],
] as const)('%s', (_, make: () => Promise<RunStore>) => {
  it('has no checkpoint until one is saved, then the last one saved', async () => {
    const store = await make();
    expect(await store.load()).toBeUndefined();
    await store.save({ step: 2, config: { seed: 1 }, groups });
    await store.save({ step: 4, config: { seed: 1 }, groups });
    const loaded = await store.load();
    expect(loaded?.step).toBe(4);
    expect(loaded?.config).toEqual({ seed: 1 });
    expect(loaded?.format).toBe('genoise-checkpoint');
    expect(Array.from(loaded!.groups['model:encoder']![0]!.values)).toEqual([1, -2, 0.25]);
    expect(loaded!.groups['extra']![0]!.meta).toEqual({ pointer: 1 });
  });

  it('appends metrics and drops those after a step on truncate', async () => {
    const store = await make();
    await store.truncateMetrics(0); // on a fresh run: nothing to drop, no error
    for (const step of [1, 2, 3, 4]) await store.appendMetrics({ step, loss: step / 10 });
    await store.truncateMetrics(2);
    await store.appendMetrics({ step: 3, loss: 0.7 });
    const records =
      'metrics' in store
        ? (store as ReturnType<typeof memoryRunStore>).metrics
        : await readMetrics(store.location);
    expect(records).toEqual([
      { step: 1, loss: 0.1 },
      { step: 2, loss: 0.2 },
      { step: 3, loss: 0.7 },
    ]);
  });
});

describe('folderRunStore', () => {
  it('keeps the checkpoint and metrics.jsonl in the run folder, and says where', async () => {
    const dir = join(await tempDir(), 'nested', 'run');
    const store = folderRunStore(dir);
    expect(store.location).toBe(dir);
    await store.save({ step: 1, config: {}, groups });
    await store.appendMetrics({ step: 1, loss: 2 });
    expect((await readdir(dir)).sort()).toEqual(['checkpoint', 'metrics.jsonl']);
    expect(await readFile(join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"step":1,"loss":2}\n');
  });

  it('reports a corrupt checkpoint instead of pretending there is none', async () => {
    const dir = await tempDir();
    const store = folderRunStore(dir);
    await store.save({ step: 1, config: {}, groups });
    await writeFile(join(dir, 'checkpoint', 'weights.bin'), new Uint8Array(4));
    const error = await store.load().catch((e: unknown) => e);
    expect(GenoiseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('weights.bin is truncated');
  });
});

describe('metrics log', () => {
  it('reads an absent log as empty, skips blank lines, and truncates by step', async () => {
    const dir = await tempDir();
    expect(await readMetrics(dir)).toEqual([]);
    await appendMetrics(dir, { step: 1, loss: 3 });
    await appendMetrics(dir, { step: 2, loss: 2 });
    await writeFile(join(dir, 'metrics.jsonl'), `${await readFile(join(dir, 'metrics.jsonl'), 'utf8')}\n\n`);
    expect(await readMetrics(dir)).toEqual([
      { step: 1, loss: 3 },
      { step: 2, loss: 2 },
    ]);
    await truncateMetrics(dir, 1);
    expect(await readFile(join(dir, 'metrics.jsonl'), 'utf8')).toBe('{"step":1,"loss":3}\n');
  });
});
