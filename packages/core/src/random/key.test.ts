import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors';
import { createKey, foldIn, keyFromString, keyToString, splitKey } from './key';
import { uniformValues } from './random-values';

describe('keys', () => {
  it('createKey splits a 53-bit seed into two words and validates it', () => {
    expect(createKey(0)).toEqual({ k0: 0, k1: 0 });
    expect(createKey(2 ** 32 + 5)).toEqual({ k0: 1, k1: 5 });
    expect(() => createKey(-1)).toThrow(ArgumentError);
    expect(() => createKey(1.5)).toThrow(
      "createKey: 'seed' is 1.5 but expected a non-negative safe integer.",
    );
  });

  it('splitKey is deterministic and gives distinct keys', () => {
    const key = createKey(42);
    const a = splitKey(key, 4);
    expect(splitKey(key, 4)).toEqual(a);
    expect(new Set(a.map(keyToString)).size).toBe(4);
    expect(splitKey(key, 2)).toEqual(a.slice(0, 2));
    expect(() => splitKey(key, 0)).toThrow("splitKey: 'n' is 0 but expected a positive integer.");
    expect(() => splitKey({ k0: -1, k1: 0 }, 2)).toThrow(ArgumentError);
  });

  it('foldIn differs from split and by data', () => {
    const key = createKey(7);
    const folded = [0, 1, 2].map((i) => keyToString(foldIn(key, i)));
    const split = splitKey(key, 3).map(keyToString);
    expect(new Set([...folded, ...split]).size).toBe(6);
    expect(foldIn(key, 1)).toEqual(foldIn(key, 1));
  });

  it('round-trips through a string', () => {
    const key = splitKey(createKey(123), 1)[0]!;
    expect(keyFromString(keyToString(key))).toEqual(key);
    expect(() => keyFromString('nope')).toThrow(ArgumentError);
  });

  it('split streams are statistically independent (correlation and sign agreement)', () => {
    const n = 20_000;
    const [ka, kb] = splitKey(createKey(2024), 2);
    const a = uniformValues(ka!, n);
    const b = uniformValues(kb!, n);
    const c = uniformValues(foldIn(createKey(2024), 0), n);
    const corr = (x: Float32Array, y: Float32Array): number => {
      const n = x.length;
      let sx = 0,
        sy = 0,
        sxx = 0,
        syy = 0,
        sxy = 0;
      for (let i = 0; i < n; i++) {
        sx += x[i]!;
        sy += y[i]!;
        sxx += x[i]! * x[i]!;
        syy += y[i]! * y[i]!;
        sxy += x[i]! * y[i]!;
      }
      const cov = sxy / n - (sx / n) * (sy / n);
      return cov / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
    };
    // |r| of independent samples has standard deviation 1/sqrt(n) ~ 0.007; 5 sigma bound.
    expect(Math.abs(corr(a, b))).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(corr(a, c))).toBeLessThan(5 / Math.sqrt(n));
    // Lag-1 autocorrelation of one stream.
    expect(Math.abs(corr(a.subarray(0, n - 1) as Float32Array, a.subarray(1) as Float32Array))).toBeLessThan(
      0.04,
    );
  });
});
