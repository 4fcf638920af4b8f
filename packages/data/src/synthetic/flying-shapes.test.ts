import { ArgumentError, createKey, foldIn } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { bilinear } from '../../test/naive-warp';
import { flyingShapes } from './flying-shapes';

const KEY = createKey(3);

describe('flyingShapes', () => {
  it('is a function of its key: the same key, the same pair; another key, another pair', () => {
    const a = flyingShapes(KEY, { height: 16, width: 24 });
    const b = flyingShapes(KEY, { height: 16, width: 24 });
    const c = flyingShapes(foldIn(KEY, 1), { height: 16, width: 24 });
    expect(a.frame1).toEqual(b.frame1);
    expect(a.flow).toEqual(b.flow);
    expect(a.frame1).not.toEqual(c.frame1);
    expect([a.frame1.length, a.frame2.length, a.flow.length, a.occlusion.length]).toEqual([
      16 * 24 * 3,
      16 * 24 * 3,
      16 * 24 * 2,
      16 * 24,
    ]);
    for (const v of a.frame1) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('a translated background alone: the flow is one vector, occluded exactly where x + flow leaves the image', () => {
    const h = 20;
    const w = 30;
    const pair = flyingShapes(KEY, {
      height: h,
      width: w,
      minObjects: 0,
      maxObjects: 0,
      backgroundMotion: { translation: 4, rotation: 0, scale: 0 },
    });
    const [u, v] = [pair.flow[0]!, pair.flow[1]!];
    expect(Math.hypot(u, v)).toBeGreaterThan(0.1);
    for (let i = 0; i < h * w; i++) {
      expect(pair.flow[2 * i]).toBeCloseTo(u, 5);
      expect(pair.flow[2 * i + 1]).toBeCloseTo(v, 5);
      const x = (i % w) + u;
      const y = Math.floor(i / w) + v;
      expect(pair.occlusion[i]).toBe(x < 0 || y < 0 || x > w - 1 || y > h - 1 ? 1 : 0);
    }
  });

  it('keeps brightness constancy: frame 2 warped by the true flow matches frame 1 on visible pixels', () => {
    // Against a naive bilinear warp: the remaining error (resampling of the supersampled pixels) is a
    // small fraction of the zero-flow error.
    const h = 48;
    const w = 48;
    let warped = 0;
    let still = 0;
    let visible = 0;
    let occluded = 0;
    const sampled = new Float64Array(3);
    for (let p = 0; p < 4; p++) {
      const pair = flyingShapes(foldIn(KEY, 10 + p), { height: h, width: w });
      for (let i = 0; i < h * w; i++) {
        if (pair.occlusion[i] === 1) {
          occluded++;
          continue;
        }
        visible++;
        const x = (i % w) + pair.flow[2 * i]!;
        const y = Math.floor(i / w) + pair.flow[2 * i + 1]!;
        // Visible pixels land inside frame 2 (out-of-bounds motion counts as occluded).
        expect(bilinear(pair.frame2, h, w, 3, x, y, sampled)).toBe(true);
        for (let c = 0; c < 3; c++) {
          warped += Math.abs(sampled[c]! - pair.frame1[3 * i + c]!);
          still += Math.abs(pair.frame2[3 * i + c]! - pair.frame1[3 * i + c]!);
        }
      }
    }
    expect(warped / visible / 3).toBeLessThan(0.2 * (still / visible / 3));
    expect(occluded).toBeGreaterThan(0);
    expect(occluded).toBeLessThan(0.5 * (visible + occluded));
  });

  it('moves shapes on their own: flows differ between the shapes and the background', () => {
    const pair = flyingShapes(KEY, { height: 32, width: 32, minObjects: 3, maxObjects: 3 });
    const vectors = new Set<string>();
    for (let i = 0; i < 32 * 32; i++)
      vectors.add(`${Math.round(pair.flow[2 * i]!)},${Math.round(pair.flow[2 * i + 1]!)}`);
    expect(vectors.size).toBeGreaterThan(3);
  });

  it('names the option in its errors', () => {
    const expectError = (f: () => unknown, text: string) => {
      let error: unknown;
      try {
        f();
      } catch (caught) {
        error = caught;
      }
      expect(ArgumentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(text);
    };
    expectError(() => flyingShapes(KEY, { height: 4, width: 32 }), "'height'");
    expectError(() => flyingShapes(KEY, { height: 32, width: 32, samples: 9 }), "'samples'");
    expectError(
      () => flyingShapes(KEY, { height: 32, width: 32, minObjects: 3, maxObjects: 2 }),
      "'maxObjects'",
    );
    expectError(
      () =>
        flyingShapes(KEY, {
          height: 32,
          width: 32,
          objectMotion: { translation: -1, rotation: 0, scale: 0 },
        }),
      "'objectMotion.translation'",
    );
    expectError(() => flyingShapes(KEY, { height: 32, width: 32, colour: 1 } as never), 'colour');
    expectError(() => flyingShapes('key' as never, { height: 32, width: 32 }), 'key');
  });
});
