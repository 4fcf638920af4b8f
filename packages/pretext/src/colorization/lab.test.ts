import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomImages } from '../../test/helpers';
import { labToRgb, rgbToLab } from './lab';

// The formulas, by hand, in float64: sRGB curve, skimage's matrix, D65 white, CIE f.
const M = [
  [0.412453, 0.35758, 0.180423],
  [0.212671, 0.71516, 0.072169],
  [0.019334, 0.119193, 0.950227],
];
const WHITE = [0.95047, 1, 1.08883];
function naiveLab(rgb: number[]): number[] {
  const lin = rgb.map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [x, y, z] = M.map(
    (row, r) => (row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!) / WHITE[r]!,
  );
  const f = (t: number): number => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  return [116 * f(y!) - 16, 500 * (f(x!) - f(y!)), 200 * (f(y!) - f(z!))];
}

describe('rgbToLab', () => {
  it('gives the reference values: white, black, red, mid grey', async () => {
    const x = tf.tensor4d([1, 1, 1, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 0.5], [1, 1, 4, 3]);
    const lab = Array.from(await rgbToLab(x).data());
    const expected = [
      [100, 0, 0],
      [0, 0, 0],
      [53.24, 80.09, 67.2], // pure sRGB red, D65 (Lindbloom; skimage gives the same to 0.01)
      [53.39, 0, 0], // 116 ((0.555 / 1.055)^2.4)^(1/3) - 16
    ];
    expected.flat().forEach((v, i) => {
      expect(Math.abs(lab[i]! - v)).toBeLessThan(0.01);
    });
    tf.dispose(x);
  });

  it('matches the formulas computed by hand on random colours and the dark (linear) branch', async () => {
    const x = randomImages(1, [2, 4, 5, 3]);
    const dark = tf.tensor4d([0.01, 0.02, 0.03, 0.001, 0.04, 0.002], [1, 1, 2, 3]);
    for (const images of [x, dark]) {
      const values = Array.from(await images.data()) as number[];
      const expected: number[] = [];
      for (let i = 0; i < values.length; i += 3) expected.push(...naiveLab(values.slice(i, i + 3)));
      const lab = rgbToLab(images);
      await expectTensorClose(lab, tf.tensor(expected, lab.shape), { rtol: 1e-4, atol: 2e-3 });
      lab.dispose();
    }
    tf.dispose([x, dark]);
  });

  it('round-trips through labToRgb', async () => {
    const x = randomImages(2, [2, 6, 6, 3]);
    const back = labToRgb(rgbToLab(x));
    await expectTensorClose(back, x, { rtol: 0, atol: 2e-4 });
    tf.dispose([x, back]);
  });

  it('labToRgb clips out-of-gamut colours unless asked not to', async () => {
    const lab = tf.tensor4d([50, 120, -120], [1, 1, 1, 3]);
    const clipped = Array.from(await labToRgb(lab).data());
    const raw = Array.from(await labToRgb(lab, { clip: false }).data());
    for (const v of clipped) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(raw.some((v) => v < 0 || v > 1)).toBe(true);
    lab.dispose();
  });

  it('wants colour images', () => {
    const grey = tf.zeros([1, 4, 4, 1]);
    expect(() => rgbToLab(grey)).toThrow(ShapeError);
    expect(() => rgbToLab(grey)).toThrow(
      "rgbToLab: 'images' has 1 channels (shape [1,4,4,1]) but expected 3.",
    );
    expect(() => labToRgb(grey)).toThrow(ShapeError);
    grey.dispose();
  });

  it('leaks nothing', async () => {
    const x = randomImages(3, [1, 3, 3, 3]);
    await expectNoLeaks(() => rgbToLab(x));
    await expectNoLeaks(() => labToRgb(x));
    x.dispose();
  });
});
