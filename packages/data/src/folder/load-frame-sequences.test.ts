import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrameSequences } from './load-frame-sequences';

/** A solid grey PNG of `width` x `height` with value `v`. */
const grey = (width: number, height: number, v: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: v, g: v, b: v } } })
    .png()
    .toBuffer();

describe('loadFrameSequences', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genoise-frames-'));
    // seq-a: 5 frames, frame 3 corrupt; its own intrinsics for the native 20x10 size
    await mkdir(join(dir, 'seq-a'));
    for (const i of [0, 1, 2, 4])
      await writeFile(join(dir, 'seq-a', `${i}.png`), await grey(20, 10, 10 * (i + 1)));
    await writeFile(join(dir, 'seq-a', '3.png'), Buffer.from('not a png'));
    await writeFile(join(dir, 'seq-a', 'intrinsics.txt'), '20 22 9.5 4.5\n');
    // seq-b: 3 frames at 40x20, uses the shared intrinsics in dir (which name their size)
    await mkdir(join(dir, 'seq-b'));
    for (const i of [0, 1, 2]) await writeFile(join(dir, 'seq-b', `f${i}.png`), await grey(40, 20, 100 + i));
    await writeFile(
      join(dir, 'intrinsics.json'),
      JSON.stringify({ K: [40, 0, 19.5, 0, 44, 9.5, 0, 0, 1], width: 40, height: 20 }),
    );
  });

  it('forms triplets that never use the corrupt frame, warns naming it, and scales K to the size', async () => {
    const warnings: string[] = [];
    const video = await loadFrameSequences(dir, { size: [5, 10], onWarning: (m) => warnings.push(m) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^loadFrameSequences: skipped ${join(dir, 'seq-a', '3.png')}:`));
    expect(video.report).toEqual({ loaded: 7, skipped: { 'unreadable-file': 1 } });
    // seq-a frames 0,1,2,4 -> one triplet (0,1,2); seq-b -> one triplet
    expect(video.size).toBe(2);
    expect(Array.from(video.tripletFrames)).toEqual([0, 1, 2, 4, 5, 6]);
    expect(video.sequences.map((s) => s.count)).toEqual([4, 3]);
    // seq-a: 20x10 -> 10x5: fx 20 -> 10, cx (9.5+0.5)/2-0.5 = 4.5; seq-b: 40x20 -> 10x5
    expect(Array.from(video.K.subarray(0, 9))).toEqual([10, 0, 4.5, 0, 11, 2, 0, 0, 1]);
    expect(Array.from(video.K.subarray(9, 18))).toEqual([10, 0, 4.5, 0, 11, 2, 0, 0, 1]);
    const count = await expectNoLeaks(async () => {
      const t = video.triplets([1, 0]);
      expect(t.previous.shape).toEqual([2, 5, 10, 3]);
      expect(t.K.shape).toEqual([2, 3, 3]);
      const [p, g, n] = await Promise.all([t.previous.data(), t.target.data(), t.next.data()]);
      expect([p[0], g[0], n[0]]).toEqual([100, 101, 102].map((v) => Math.fround(v / 255)));
      expect([p[150], g[150], n[150]]).toEqual([10, 20, 30].map((v) => Math.fround(v / 255)));
      return t;
    });
    expect(count).toBe(4);
    // as a Dataset, the examples are the target frames
    expect(video.floatPixels([0])[0]).toBe(Math.fround(20 / 255));
  });

  it('reads one sequence directly in dir, and skips sequences without intrinsics', async () => {
    const single = await loadFrameSequences(join(dir, 'seq-a'), {
      size: [5, 10],
      onWarning: () => undefined,
    });
    expect(single.size).toBe(1);
    const bare = await mkdtemp(join(tmpdir(), 'genoise-frames-bare-'));
    for (const i of [0, 1, 2]) await writeFile(join(bare, `${i}.png`), await grey(8, 8, i));
    const warnings: string[] = [];
    await expect(
      loadFrameSequences(bare, { size: [4, 4], onWarning: (m) => warnings.push(m) }),
    ).rejects.toThrow(
      `loadFrameSequences: ${bare} has no three consecutive decodable frames with intrinsics (0 frames decoded in 0 sequences).`,
    );
    expect(warnings[0]).toMatch(/^loadFrameSequences: skipped .*: no intrinsics file/);
  });

  it('rejects bad options', async () => {
    await expect(loadFrameSequences(dir, { size: [5] as never })).rejects.toThrow(
      "loadFrameSequences: 'size' is [5] but expected [height, width] of positive integers.",
    );
    await expect(loadFrameSequences(join(dir, 'missing'), { size: [4, 4] })).rejects.toThrow(ArgumentError);
  });
});
