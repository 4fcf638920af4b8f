import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, GenoiseError } from '@genoise/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-folder';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'genoise-ckpt-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const groups = {
  encoder: [
    { name: 'w', shape: [2, 2], values: Float32Array.of(1, 2, 3, 4) },
    { name: 'b', shape: [2], values: Float32Array.of(-1, 0.5) },
  ],
  extra: [{ name: 'queue', shape: [1, 3], values: Float32Array.of(7, 8, 9), meta: { pointer: 2 } }],
};

describe('checkpoints', () => {
  it('round-trip step, config and arrays exactly', async () => {
    const dir = await tempDir();
    await saveCheckpoint(dir, { step: 12, config: { seed: 3, method: { name: 'simclr' } }, groups });
    const loaded = await loadCheckpoint<{ seed: number; method: { name: string } }>(dir);
    expect(loaded.step).toBe(12);
    expect(loaded.config).toEqual({ seed: 3, method: { name: 'simclr' } });
    expect(loaded.format).toBe('genoise-checkpoint');
    expect(loaded.version).toBe(1);
    expect(loaded.groups['encoder']!.map((a) => [a.name, a.shape, Array.from(a.values)])).toEqual([
      ['w', [2, 2], [1, 2, 3, 4]],
      ['b', [2], [-1, 0.5]],
    ]);
    expect(loaded.groups['extra']![0]!.meta).toEqual({ pointer: 2 });
  });

  it('replaces the previous checkpoint and leaves no temporary folders', async () => {
    const dir = await tempDir();
    await saveCheckpoint(dir, { step: 1, config: {}, groups });
    await saveCheckpoint(dir, { step: 2, config: {}, groups });
    expect((await loadCheckpoint(dir)).step).toBe(2);
    expect(await readdir(dir)).toEqual(['checkpoint']);
  });

  it('falls back to the previous checkpoint when a save died between its renames', async () => {
    const dir = await tempDir();
    await saveCheckpoint(dir, { step: 5, config: {}, groups });
    // Simulate the crash window: current renamed aside, new one not yet in place.
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'checkpoint'), join(dir, 'checkpoint.old'));
    expect((await loadCheckpoint(dir)).step).toBe(5);
  });

  it('says clearly when there is nothing, or when it is corrupt', async () => {
    const dir = await tempDir();
    await expect(loadCheckpoint(dir)).rejects.toThrow(ArgumentError);
    await expect(loadCheckpoint(dir)).rejects.toThrow(`loadCheckpoint: '${dir}' has no checkpoint`);
    await saveCheckpoint(dir, { step: 1, config: {}, groups });
    await writeFile(join(dir, 'checkpoint', 'weights.bin'), new Uint8Array(4));
    const error = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(GenoiseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('weights.bin is truncated');
  });
});
