import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { syntheticObjects } from './synthetic-objects';

/** The chroma-weighted circular mean hue (radians) of RGB bytes, by the hexcone formula. */
function meanHue(pixels: Uint8Array, from: number, to: number): [number, number] {
  let sx = 0;
  let sy = 0;
  for (let j = from; j < to; j += 3) {
    const [r, g, b] = [pixels[j]! / 255, pixels[j + 1]! / 255, pixels[j + 2]! / 255];
    const max = Math.max(r, g, b);
    const chroma = max - Math.min(r, g, b);
    if (chroma === 0) continue;
    const sector =
      max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
    const angle = (sector / 6) * 2 * Math.PI;
    sx += chroma * Math.cos(angle);
    sy += chroma * Math.sin(angle);
  }
  return [sx, sy];
}

describe('syntheticObjects', () => {
  const size = 16;
  const data = syntheticObjects(createKey(4), { count: 60, size });

  it('has balanced labels in range, named classes, images in [0, 1]', async () => {
    expect(data.size).toBe(60);
    expect(data.imageShape).toEqual([size, size, 3]);
    expect(data.numClasses).toBe(10);
    expect(new Set(data.classNames).size).toBe(10);
    expect(data.classNames[0]).toBe('red mottled sphere');
    const counts = new Array(10).fill(0);
    for (const label of data.labels) counts[label]++;
    expect(counts).toEqual(new Array(10).fill(6));
    await expectNoLeaks(async () => {
      const x = data.images([0, 59]);
      const values = await x.data();
      expect(x.shape).toEqual([2, size, size, 3]);
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.3);
      x.dispose();
    });
  });

  it("each class's mean hue is its own (within 15 degrees), so colour carries the class", () => {
    const length = size * size * 3;
    const sums = Array.from({ length: 10 }, () => [0, 0]);
    for (let i = 0; i < data.size; i++) {
      const [x, y] = meanHue(data.pixels, i * length, (i + 1) * length);
      sums[data.labels[i]!]![0]! += x;
      sums[data.labels[i]!]![1]! += y;
    }
    for (let c = 0; c < 10; c++) {
      const angle = Math.atan2(sums[c]![1]!, sums[c]![0]!);
      const expected = data.classes[c]!.hue * 2 * Math.PI;
      const difference = Math.abs(Math.atan2(Math.sin(angle - expected), Math.cos(angle - expected)));
      expect(difference).toBeLessThan((15 * Math.PI) / 180);
    }
  });

  it('is deterministic in its key; each example depends on its own index only', () => {
    const again = syntheticObjects(createKey(4), { count: 60, size });
    expect(again.pixels).toEqual(data.pixels);
    const fewer = syntheticObjects(createKey(4), { count: 7, size });
    expect(fewer.pixels).toEqual(data.pixels.subarray(0, 7 * size * size * 3));
    expect(syntheticObjects(createKey(5), { count: 7, size }).pixels).not.toEqual(fewer.pixels);
  });

  it('defines classes as distinct shape-pattern pairs; neutral backgrounds are grey', () => {
    const all = syntheticObjects(createKey(0), { count: 16, size: 8, classes: 16, samples: 1 });
    expect(new Set(all.classes.map((c) => `${c.shape} ${c.pattern}`)).size).toBe(16);
    const neutral = syntheticObjects(createKey(0), { count: 2, size: 32, background: 'neutral' });
    // the top-left corner shows the back wall or the ground: grey, R = G = B
    expect(neutral.pixels[0]).toBe(neutral.pixels[1]);
    expect(neutral.pixels[1]).toBe(neutral.pixels[2]);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => syntheticObjects(createKey(0), { count: 0 })).toThrow(
      "syntheticObjects: 'count' is 0 but expected an integer in [1, 1000000].",
    );
    expect(() => syntheticObjects(createKey(0), { count: 2, classes: 17 })).toThrow(
      "syntheticObjects: 'classes' is 17 but expected an integer in [2, 16].",
    );
    expect(() => syntheticObjects(createKey(0), { count: 2, background: 'blue' as never })).toThrow(
      "syntheticObjects: 'background' is 'blue' but expected 'varied' or 'neutral'.",
    );
  });
});
