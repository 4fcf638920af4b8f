import { describe, expect, it } from 'vitest';
import { embeddedSplit } from './embedded-split';

const counts = [7000, 7000, 6999, 7001, 7000, 7000, 7000, 7000, 7000, 7000];

describe('embeddedSplit', () => {
  it('is disjoint and covers every record once', () => {
    const { train, test } = embeddedSplit(counts, 1 / 7, 20170825);
    const total = counts.reduce((a, b) => a + b, 0);
    const seen = new Uint8Array(total);
    for (const i of [...train, ...test]) seen[i]!++;
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('puts round(n_c * fraction) of each class in test, interleaving classes round-robin', () => {
    // round(10 * 0.2) = 2, round(20 * 0.2) = 4, round(5 * 0.2) = 1 test records; round-robin by class.
    const { train, test } = embeddedSplit([10, 20, 5], 0.2, 1);
    const classOf = (i: number) => (i < 10 ? 0 : i < 30 ? 1 : 2);
    expect(Array.from(test, classOf)).toEqual([0, 1, 2, 0, 1, 1, 1]);
    expect(Array.from(train, classOf).slice(0, 6)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(train).toHaveLength(28);
  });

  it('depends only on counts, fraction and seed', () => {
    expect(embeddedSplit(counts, 0.2, 5)).toEqual(embeddedSplit(counts, 0.2, 5));
    expect(embeddedSplit(counts, 0.2, 5).test).not.toEqual(embeddedSplit(counts, 0.2, 6).test);
  });
});
