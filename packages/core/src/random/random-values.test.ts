import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors';
import { createKey } from './key';
import {
  bernoulliValues,
  normalValues,
  permutationValues,
  randintValues,
  randomBits,
  uniformValues,
} from './random-values';

const key = createKey(1234);

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / x.length;
}

describe('random values', () => {
  it('randomBits are the threefry blocks of counters 0, 1, ... and prefixes agree', () => {
    const bits = randomBits(key, 7);
    expect(Array.from(randomBits(key, 3))).toEqual(Array.from(bits.subarray(0, 3)));
    expect(randomBits(key, 0).length).toBe(0);
  });

  it('uniform passes a Kolmogorov-Smirnov test and respects bounds', () => {
    const n = 20_000;
    const u = Array.from(uniformValues(key, n)).sort((a, b) => a - b);
    let d = 0;
    u.forEach((v, i) => {
      d = Math.max(d, Math.abs((i + 1) / n - v), Math.abs(v - i / n));
    });
    // KS critical value at alpha = 0.001 is 1.95 / sqrt(n).
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
    const scaled = uniformValues(key, 1000, -2, 3);
    expect(Math.min(...scaled)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...scaled)).toBeLessThan(3);
    expect(() => uniformValues(key, 3, 1, 1)).toThrow(ArgumentError);
  });

  it('normal has the asked mean and standard deviation, and light tails', () => {
    const x = normalValues(key, 40_000, 2, 3);
    expect(Math.abs(mean(x) - 2)).toBeLessThan(5 * (3 / Math.sqrt(40_000)));
    expect(Math.abs(Math.sqrt(variance(x)) - 3)).toBeLessThan(0.05);
    const beyond = Array.from(x).filter((v) => Math.abs(v - 2) > 3 * 3).length / x.length;
    expect(beyond).toBeGreaterThan(0.0015); // 0.27% expected
    expect(beyond).toBeLessThan(0.004);
    expect(normalValues(key, 5).length).toBe(5);
  });

  it('randint is uniform over [low, high) (chi-square)', () => {
    const n = 30_000;
    const k = 6;
    const x = randintValues(key, n, -2, 4);
    const counts = new Array<number>(k).fill(0);
    x.forEach((v) => {
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThan(4);
      counts[v + 2]!++;
    });
    const expected = n / k;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5); // chi-square, 5 dof, alpha 0.001
  });

  it('bernoulli has rate p', () => {
    const x = bernoulliValues(key, 20_000, 0.3);
    expect(Math.abs(mean(x) - 0.3)).toBeLessThan(5 * Math.sqrt(0.21 / 20_000));
    expect(() => bernoulliValues(key, 3, 1.5)).toThrow(
      "bernoulliValues: 'p' is 1.5 but expected a probability in [0, 1].",
    );
  });

  it('permutation is a permutation, and each position is uniform', () => {
    const p = permutationValues(key, 50);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // Where does element 0 land over many keys? Uniform over 5 slots.
    const counts = [0, 0, 0, 0, 0];
    for (let s = 0; s < 5000; s++) {
      const q = permutationValues(createKey(s), 5);
      counts[q.indexOf(0)]!++;
    }
    const chi2 = counts.reduce((acc, c) => acc + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(18.5); // 4 dof, alpha 0.001
  });
});
