import { ArgumentError, createKey } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { take } from './take';
import { uint8Dataset } from './uint8-dataset';

// 100 examples: labels 0 (60 of them), 1 (30), 2 (10); pixel byte = index.
const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
const labelled = uint8Dataset({
  name: 'strata',
  pixels: Uint8Array.from({ length: 100 }, (_, i) => i),
  imageShape: [1, 1, 1],
  labels,
});
const unlabelled = uint8Dataset({
  name: 'plain',
  pixels: Uint8Array.from({ length: 50 }, (_, i) => i),
  imageShape: [1, 1, 1],
});

const counts = (values: Int32Array): number[] => [0, 1, 2].map((c) => values.filter((v) => v === c).length);

describe('take', () => {
  it('is stratified: class shares follow the dataset (largest remainder)', () => {
    expect(counts(take(labelled, 10, createKey(1)).labels!)).toEqual([6, 3, 1]);
    // 15 * (0.6, 0.3, 0.1) = (9, 4.5, 1.5): one leftover goes to class 1 (tie broken by the lower label).
    expect(counts(take(labelled, 15, createKey(1)).labels!)).toEqual([9, 5, 1]);
  });

  it('returns distinct examples in ascending order, each with its own label', async () => {
    const small = take(labelled, 20, createKey(7));
    const x = small.images(Array.from({ length: 20 }, (_, i) => i));
    const indices = Array.from(await x.data(), (v) => Math.round(v * 255));
    x.dispose();
    expect(new Set(indices).size).toBe(20);
    expect([...indices].sort((a, b) => a - b)).toEqual(indices);
    expect(Array.from(small.labels!)).toEqual(indices.map((index) => labels[index]));
  });

  it('is deterministic by key and differs across keys', () => {
    const a = take(unlabelled, 10, createKey(3));
    const b = take(unlabelled, 10, createKey(3));
    const c = take(unlabelled, 10, createKey(4));
    const read = (d: typeof a) => Array.from(d.floatPixels!(Array.from({ length: 10 }, (_, i) => i)));
    expect(a.size).toBe(10);
    expect(read(a)).toEqual(read(b));
    expect(read(a)).not.toEqual(read(c));
    expect(take(labelled, 30, createKey(3)).labels).toEqual(take(labelled, 30, createKey(3)).labels);
  });

  it('takes everything or nothing at the bounds', () => {
    expect(take(labelled, 100, createKey(0)).size).toBe(100);
    expect(take(labelled, 0, createKey(0)).size).toBe(0);
  });

  it('rejects a bad n or key', () => {
    expect(() => take(labelled, 101, createKey(0))).toThrow(
      "take: 'n' is 101 but expected an integer in [0, 100].",
    );
    expect(() => take(labelled, 1.5, createKey(0))).toThrow(ArgumentError);
    expect(() => take(labelled, 1, { seed: 1 } as never)).toThrow("take: 'key' is");
  });
});
