import { ArgumentError } from '@genoise/core';
import { testBackend } from '@genoise/vitest/setup';
import { describe, expect, it } from 'vitest';
import { key } from '../../test/helpers';
import { jigsawPermutations } from './jigsaw-permutations';

/** All permutations of 0..8 in lexicographic order, by recursion (independent of the library's successor). */
function allPermutations(): number[][] {
  const out: number[][] = [];
  const go = (prefix: number[], rest: number[]): void => {
    if (rest.length === 0) out.push(prefix);
    rest.forEach((v, i) => {
      go([...prefix, v], [...rest.slice(0, i), ...rest.slice(i + 1)]);
    });
  };
  go([], [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  return out;
}

/** The authors' algorithm as written: re-scan the whole chosen set for every candidate, argmax of the mean. */
function naiveGreedy(count: number, first: number): number[] {
  const all = allPermutations();
  const chosen = [first];
  while (chosen.length < count) {
    let best = -1;
    let bestMean = -1;
    for (let j = 0; j < all.length; j++) {
      if (chosen.includes(j)) continue;
      let sum = 0;
      for (const c of chosen) for (let p = 0; p < 9; p++) if (all[c]![p] !== all[j]![p]) sum++;
      const mean = sum / chosen.length;
      if (mean > bestMean) {
        bestMean = mean;
        best = j;
      }
    }
    chosen.push(best);
  }
  return chosen;
}

describe('jigsawPermutations', () => {
  it('reproduces the published statistics for 100 permutations from index 0: mean 8.08, min 2', () => {
    const set = jigsawPermutations({ count: 100, first: 0 });
    expect(set.permutations).toHaveLength(100);
    expect(set.permutations[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(set.meanDistance).toBeCloseTo(8.08, 2);
    expect(set.minDistance).toBe(2);
    // every row a distinct permutation of 0..8
    const keys = new Set(set.permutations.map((p) => p.join('')));
    expect(keys.size).toBe(100);
    for (const p of set.permutations) expect([...p].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // the max-min variant spreads the set further: minimum 6
    expect(jigsawPermutations({ count: 100, first: 0, criterion: 'min' }).minDistance).toBe(6);
  });

  // Pure JavaScript, identical on every backend: the 1000-permutation run (several seconds) runs once.
  it.runIf(testBackend() === 'cpu')('gives mean 8.01 and min 2 for 1000 permutations from index 0', () => {
    const set = jigsawPermutations({ count: 1000, first: 0 });
    expect(set.meanDistance).toBeCloseTo(8.01, 2);
    expect(set.minDistance).toBe(2);
  });

  it('agrees with a naive re-scan of the chosen set (the running sums change nothing)', () => {
    const first = 123456;
    const set = jigsawPermutations({ count: 3, first });
    expect(Array.from(set.indices)).toEqual(naiveGreedy(3, first));
    const all = allPermutations();
    expect(set.permutations).toEqual(Array.from(set.indices, (j) => all[j]));
  });

  it('is deterministic from a key', () => {
    const a = jigsawPermutations({ count: 10, key: key(3) });
    const b = jigsawPermutations({ count: 10, key: key(3) });
    const c = jigsawPermutations({ count: 10, key: key(4) });
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(a.indices[0]).not.toBe(c.indices[0]);
  });

  it('refuses too few or too many permutations, and needs exactly one of key and first', () => {
    expect(() => jigsawPermutations({ count: 1, first: 0 })).toThrow(
      "jigsawPermutations: 'count' is 1 but expected an integer in [2, 362880].",
    );
    expect(() => jigsawPermutations({ count: 400000, first: 0 })).toThrow(ArgumentError);
    expect(() => jigsawPermutations({ count: 10 })).toThrow(/exactly one of 'key'/);
    expect(() => jigsawPermutations({ count: 10, first: 0, key: key(0) })).toThrow(/exactly one of 'key'/);
    expect(() => jigsawPermutations({ count: 10, first: 362880 })).toThrow(ArgumentError);
    expect(() => jigsawPermutations({ count: 10, first: 0, criterion: 'max' as 'min' })).toThrow(
      ArgumentError,
    );
  });
});
