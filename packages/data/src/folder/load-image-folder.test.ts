import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageFolder } from './load-image-folder';

/** A solid-colour PNG of `width` x `height`. */
const solid = (width: number, height: number, [r, g, b]: readonly number[]) =>
  sharp({ create: { width, height, channels: 3, background: { r: r!, g: g!, b: b! } } })
    .png()
    .toBuffer();

const RED = [255, 0, 0] as const;
const TEAL = [0, 128, 200] as const;
const GREY = [51, 51, 51] as const;

describe('loadImageFolder', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genoise-folder-'));
    await mkdir(join(dir, 'bird'));
    await mkdir(join(dir, 'apple'));
    await writeFile(join(dir, 'apple', 'a.png'), await solid(16, 12, RED));
    await writeFile(join(dir, 'apple', 'b.png'), await solid(8, 8, TEAL));
    await writeFile(join(dir, 'bird', 'c.png'), await solid(10, 20, GREY));
    await writeFile(join(dir, 'bird', 'corrupt.png'), Buffer.from('this is not a png at all'));
    await writeFile(join(dir, 'bird', 'empty.png'), new Uint8Array(0));
    await writeFile(join(dir, 'bird', 'notes.txt'), 'ignored');
  });

  it('loads the good images with sub-folder labels and warns about each bad file by name', async () => {
    const warnings: string[] = [];
    const data = await loadImageFolder(dir, { size: [4, 6], onWarning: (m) => warnings.push(m) });
    expect(data.size).toBe(3);
    expect(data.classNames).toEqual(['apple', 'bird']);
    expect(Array.from(data.labels!)).toEqual([0, 0, 1]);
    expect(data.imageShape).toEqual([4, 6, 3]);
    expect(data.files.map((f) => f.slice(dir.length + 1))).toEqual([
      join('apple', 'a.png'),
      join('apple', 'b.png'),
      join('bird', 'c.png'),
    ]);
    expect(data.report).toEqual({ loaded: 3, skipped: { 'unreadable-file': 2 } });
    expect(warnings).toHaveLength(2);
    expect(
      warnings.some((w) => w.startsWith(`loadImageFolder: skipped ${join(dir, 'bird', 'corrupt.png')}:`)),
    ).toBe(true);
    expect(
      warnings.some((w) => w.startsWith(`loadImageFolder: skipped ${join(dir, 'bird', 'empty.png')}:`)),
    ).toBe(true);
  });

  it('decodes solid colours to the expected floats', async () => {
    const data = await loadImageFolder(dir, { size: [4, 6], onWarning: () => undefined });
    const x = data.images([0, 1, 2]);
    expect(x.shape).toEqual([3, 4, 6, 3]);
    expect(x.dtype).toBe('float32');
    const values = await x.data();
    x.dispose();
    const pixel = (example: number) => Array.from(values.subarray(example * 72, example * 72 + 3));
    expect(pixel(0)).toEqual(RED.map((v) => Math.fround(v / 255)));
    expect(pixel(1)).toEqual(TEAL.map((v) => Math.fround(v / 255)));
    expect(pixel(2)).toEqual(GREY.map((v) => Math.fround(v / 255)));
    // Solid images stay solid whatever the resize.
    for (let e = 0; e < 3; e++) {
      for (let p = 0; p < 24; p++)
        expect(Array.from(values.subarray(e * 72 + p * 3, e * 72 + p * 3 + 3))).toEqual(pixel(e));
    }
  });

  it('reads grey with one channel, unlabelled with labels: none, and fill', async () => {
    const data = await loadImageFolder(join(dir, 'bird'), {
      size: [5, 5],
      channels: 1,
      labels: 'none',
      fit: 'fill',
      onWarning: () => undefined,
    });
    expect(data.size).toBe(1);
    expect(data.labels).toBeUndefined();
    expect(data.classNames).toBeUndefined();
    expect(data.name).toBe('bird');
    expect(Array.from(data.floatPixels([0]))).toEqual(new Array(25).fill(Math.fround(51 / 255)));
    expect(await expectNoLeaks(() => data.images([0]))).toBe(1);
  });

  it('fails clearly when nothing decodes, and for bad options', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'genoise-empty-'));
    await expect(loadImageFolder(empty, { size: [4, 4], labels: 'none' })).rejects.toThrow(
      `loadImageFolder: ${empty} has no decodable image (0 files with extensions .png, .jpg, .jpeg, .webp).`,
    );
    await expect(loadImageFolder(dir, { size: [4, 0] as never })).rejects.toThrow(
      "loadImageFolder: 'size' is [4,0] but expected [height, width] of positive integers.",
    );
    await expect(loadImageFolder(dir, { size: [4, 4], channels: 4 as never })).rejects.toThrow(
      "loadImageFolder: 'channels' is 4 but expected 1 or 3.",
    );
    await expect(loadImageFolder(join(dir, 'missing'), { size: [4, 4] })).rejects.toThrow(ArgumentError);
  });
});
