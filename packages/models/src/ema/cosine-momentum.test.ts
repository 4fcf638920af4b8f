import { describe, expect, it } from 'vitest';
import { cosineMomentum } from './cosine-momentum';

describe('cosineMomentum', () => {
  it('rises from base to 1 along half a cosine', () => {
    expect(cosineMomentum(0, 100)).toBeCloseTo(0.99, 12);
    expect(cosineMomentum(50, 100)).toBeCloseTo(0.995, 12); // cos(pi/2) = 0: 1 - 0.01 / 2
    expect(cosineMomentum(100, 100)).toBeCloseTo(1, 12);
    expect(cosineMomentum(25, 100, 0.9)).toBeCloseTo(1 - (0.1 * (Math.SQRT1_2 + 1)) / 2, 12);
    const values = [0, 10, 20, 40, 80, 100].map((s) => cosineMomentum(s, 100));
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });

  it('names the argument at fault', () => {
    expect(() => cosineMomentum(-1, 10)).toThrow(
      "cosineMomentum: 'step' is -1 but expected a finite number >= 0 and <= 10.",
    );
    expect(() => cosineMomentum(0, 0)).toThrow(
      "cosineMomentum: 'totalSteps' is 0 but expected a finite number > 0.",
    );
    expect(() => cosineMomentum(0, 10, 1.5)).toThrow(
      "cosineMomentum: 'base' is 1.5 but expected a finite number >= 0 and <= 1.",
    );
  });
});
