import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { warmupCosine } from './warmup-cosine';

describe('warmupCosine', () => {
  const options = { baseLearningRate: 1, warmupSteps: 4, totalSteps: 14 };

  it('warms up linearly, peaks, then follows the half cosine down to the final rate', () => {
    expect([0, 1, 2, 3].map((s) => warmupCosine(s, options))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(warmupCosine(4, options)).toBe(1);
    // Halfway through the decay (step 9 of 4..14) the cosine term is 0: (1 + cos(pi/2)) / 2 = 0.5.
    expect(warmupCosine(9, options)).toBeCloseTo(0.5, 12);
    expect(warmupCosine(14, options)).toBeCloseTo(0, 12);
    expect(warmupCosine(100, options)).toBeCloseTo(0, 12);
    expect(warmupCosine(14, { ...options, finalLearningRate: 0.1 })).toBeCloseTo(0.1, 12);
  });

  it('is monotone after the warm-up', () => {
    let last = Number.POSITIVE_INFINITY;
    for (let s = 4; s <= 14; s++) {
      const lr = warmupCosine(s, options);
      expect(lr).toBeLessThanOrEqual(last);
      last = lr;
    }
  });

  it('rejects bad options', () => {
    expect(() => warmupCosine(0, { ...options, baseLearningRate: 0 })).toThrow(ArgumentError);
    expect(() => warmupCosine(0, { ...options, warmupSteps: 20 })).toThrow(
      "warmupCosine: 'warmupSteps' is warmup 20, total 14 but expected integers with 0 <= warmupSteps <= totalSteps, totalSteps >= 1.",
    );
    expect(() => warmupCosine(-1, options)).toThrow(ArgumentError);
  });
});
