import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { oneHots, scalarOf } from '../../test/support';
import { infoNCE } from './info-nce';
import { infoNCEBound } from './info-nce-bound';

describe('infoNCEBound', () => {
  it('is log(N + 1) - L', () => {
    expect(infoNCEBound(0.5, 255)).toBeCloseTo(Math.log(256) - 0.5, 12);
    expect(infoNCEBound(0, 0)).toBe(0);
  });

  it('is 0 for a chance-level critic and approaches log(N + 1) for a perfect one', async () => {
    const count = 15;
    // Chance: all scores equal (zero vectors score 0), so L = log(N + 1) and the bound is 0.
    const zeros = tf.zeros([4, 8]);
    const negatives = tf.zeros([count, 8]);
    const chance = infoNCE(zeros, zeros, negatives);
    expect(infoNCEBound(await scalarOf(chance), count)).toBeCloseTo(0, 5);
    // Near-perfect: aligned positive, orthogonal negatives, small T: L = log(1 + N e^(-1/T)) -> 0.
    const q = tf.tensor2d(oneHots([0, 0, 0, 0], 16), [4, 16]);
    const orthogonal = tf.tensor2d(oneHots([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], 16), [
      count,
      16,
    ]);
    const perfect = infoNCE(q, q, orthogonal, { temperature: 0.05 });
    const bound = infoNCEBound(await scalarOf(perfect), count);
    expect(bound).toBeCloseTo(Math.log(count + 1) - Math.log1p(count * Math.exp(-1 / 0.05)), 5);
    expect(bound).toBeLessThanOrEqual(Math.log(count + 1));
    tf.dispose([zeros, negatives, chance, q, orthogonal, perfect]);
  });

  it('rejects a non-finite loss and a bad negative count', () => {
    expect(() => infoNCEBound(Number.NaN, 3)).toThrow(
      "infoNCEBound: 'loss' is NaN but expected a finite number.",
    );
    expect(() => infoNCEBound(1, -1)).toThrow(ArgumentError);
    expect(() => infoNCEBound(1, 2.5)).toThrow(
      "infoNCEBound: 'numNegatives' is 2.5 but expected an integer >= 0.",
    );
  });
});
