import { describe, expect, it } from 'vitest';
import { learningRateAt } from './learning-rate';

const at = (schedule: 'cosine' | 'step', warmupFraction: number, totalSteps: number) =>
  Array.from({ length: totalSteps }, (_, step) =>
    learningRateAt({ learningRate: 1e-3, warmupFraction, schedule }, step, totalSteps),
  );

describe('learningRateAt', () => {
  it("'step': linear warm-up over round(fraction · total) steps, the peak, a tenth for the last quarter", () => {
    // 20 steps, warm-up round(0.1 · 20) = 2 steps: 1e-3 · 1/2, then 1e-3 until step floor(0.75 · 20) = 15.
    const rates = at('step', 0.1, 20);
    expect(rates.slice(0, 2)).toEqual([0.5e-3, 1e-3]);
    expect(rates.slice(2, 15)).toEqual(Array(13).fill(1e-3));
    expect(rates.slice(15)).toEqual(Array(5).fill(0.1 * 1e-3));
    expect(at('step', 0, 4)).toEqual([1e-3, 1e-3, 1e-3, 0.1 * 1e-3]);
  });

  it("'cosine': warm-up then half a cosine to 0", () => {
    // No warm-up, 4 steps: 1e-3 · (1 + cos(π t / 4)) / 2 for t = 0..3.
    const rates = at('cosine', 0, 4);
    const expected = [0, 1, 2, 3].map((t) => (1e-3 * (1 + Math.cos((Math.PI * t) / 4))) / 2);
    for (const [i, r] of rates.entries()) expect(r).toBeCloseTo(expected[i]!, 15);
    // 10 steps with warm-up round(0.25 · 10) = 3: 1e-3 · (t + 1) / 3, then the cosine from the peak.
    const warm = at('cosine', 0.25, 10);
    for (const [t, r] of warm.slice(0, 3).entries()) expect(r).toBeCloseTo((1e-3 * (t + 1)) / 3, 15);
    expect(warm[3]).toBeCloseTo(1e-3, 15);
    for (let t = 4; t < 10; t++) expect(warm[t]!).toBeLessThan(warm[t - 1]!);
  });
});
