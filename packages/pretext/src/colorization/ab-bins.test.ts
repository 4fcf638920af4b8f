import { describe, expect, it } from 'vitest';
import { AB_BIN_COUNT, abBins } from './ab-bins';

const M = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];
const WHITE = [0.95047, 1, 1.08883];
const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);

describe('abBins', () => {
  it('are the 261 grid-10 bins hit by sRGB colours (re-derived from every third 8-bit level)', () => {
    expect(AB_BIN_COUNT).toBe(261);
    const lin = (i: number): number => {
      const c = i / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const hit = new Set<string>();
    for (let r = 0; r < 256; r += 3)
      for (let g = 0; g < 256; g += 3)
        for (let b = 0; b < 256; b += 3) {
          const rgb = [lin(r), lin(g), lin(b)];
          const [x, y, z] = M.map(
            (row, k) => (row[0]! * rgb[0]! + row[1]! * rgb[1]! + row[2]! * rgb[2]!) / WHITE[k]!,
          );
          const a = 500 * (f(x!) - f(y!));
          const bb = 200 * (f(y!) - f(z!));
          hit.add(`${Math.round(a / 10) * 10},${Math.round(bb / 10) * 10}`);
        }
    const bins = abBins();
    expect(new Set(bins.map(([a, b]) => `${a},${b}`))).toEqual(hit);
    expect(bins).toContainEqual([0, 0]);
    // sorted by a, then b
    for (let i = 1; i < bins.length; i++) {
      const [a0, b0] = bins[i - 1]!;
      const [a1, b1] = bins[i]!;
      expect(a0 < a1 || (a0 === a1 && b0 < b1)).toBe(true);
    }
  });
});
