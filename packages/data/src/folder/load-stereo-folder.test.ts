import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaks } from '@genoise/vitest';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStereoFolder } from './load-stereo-folder';

const grey = (v: number) =>
  sharp({ create: { width: 16, height: 8, channels: 3, background: { r: v, g: v, b: v } } })
    .png()
    .toBuffer();

describe('loadStereoFolder', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genoise-stereo-'));
    await mkdir(join(dir, 'left'));
    await mkdir(join(dir, 'right'));
    for (const [name, v] of [
      ['a.png', 10],
      ['b.png', 20],
      ['c.png', 30],
    ] as const) {
      await writeFile(join(dir, 'left', name), await grey(v));
      await writeFile(join(dir, 'right', name), await grey(v + 1));
    }
    await writeFile(join(dir, 'right', 'b.png'), Buffer.from('corrupt'));
    await writeFile(join(dir, 'left', 'lonely.png'), await grey(5));
    await writeFile(
      join(dir, 'intrinsics.json'),
      JSON.stringify({ fx: 16, fy: 16, cx: 7.5, cy: 3.5, baseline: 0.54 }),
    );
  });

  it('pairs matching names, warns about the corrupt and unmatched files, and scales K', async () => {
    const warnings: string[] = [];
    const stereo = await loadStereoFolder(dir, { size: [4, 8], onWarning: (m) => warnings.push(m) });
    expect(stereo.size).toBe(2);
    expect(stereo.files.map((f) => f.left.slice(dir.length + 1))).toEqual([
      join('left', 'a.png'),
      join('left', 'c.png'),
    ]);
    expect(stereo.report).toEqual({ loaded: 2, skipped: { 'unreadable-file': 1, unmatched: 1 } });
    expect(
      warnings.some((w) => w.startsWith(`loadStereoFolder: skipped ${join(dir, 'right', 'b.png')}:`)),
    ).toBe(true);
    expect(
      warnings.some((w) => w.startsWith(`loadStereoFolder: skipped ${join(dir, 'left', 'lonely.png')}:`)),
    ).toBe(true);
    expect(Array.from(stereo.K!)).toEqual([8, 0, 3.5, 0, 8, 1.5, 0, 0, 1]);
    expect(stereo.baseline).toBe(0.54);
    const count = await expectNoLeaks(async () => {
      const pair = stereo.pairs([1]);
      expect(pair.left.shape).toEqual([1, 4, 8, 3]);
      expect((await pair.left.data())[0]).toBe(Math.fround(30 / 255));
      expect((await pair.right.data())[0]).toBe(Math.fround(31 / 255));
      return pair;
    });
    expect(count).toBe(2);
  });

  it('fails clearly without left/ and right/', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'genoise-stereo-empty-'));
    await expect(loadStereoFolder(empty, { size: [4, 4] })).rejects.toThrow(
      `loadStereoFolder: ${empty} has no 'left' sub-folder;`,
    );
  });
});
