import { createKey, foldIn, permutationValues } from '@genoise/core';

/** The two halves of a fixed split, as indices into the class-ordered list of valid records. */
export interface SplitOrder {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Interleaves per-class lists round-robin (class 0, 1, ..., then again), so any prefix is balanced. */
function interleave(lists: readonly Int32Array[]): Int32Array {
  const out = new Int32Array(lists.reduce((a, l) => a + l.length, 0));
  const longest = lists.reduce((a, l) => Math.max(a, l.length), 0);
  let k = 0;
  for (let r = 0; r < longest; r++) {
    for (const list of lists) if (r < list.length) out[k++] = list[r]!;
  }
  return out;
}

/**
 * The fixed train/test split of class-ordered records: class `c` (with `counts[c]` records starting at
 * `sum(counts[0..c))`) is permuted by `permutationValues(foldIn(createKey(seed), c), counts[c])`; the
 * last `round(counts[c] * testFraction)` of that permutation go to test, the rest to train. Each half
 * lists its records class-interleaved (round-robin in permutation order), so a prefix is class-balanced.
 * Pure: the same counts, fraction and seed always give the same split.
 */
export function embeddedSplit(counts: readonly number[], testFraction: number, seed: number): SplitOrder {
  const root = createKey(seed);
  const train: Int32Array[] = [];
  const test: Int32Array[] = [];
  let offset = 0;
  counts.forEach((count, c) => {
    const order = permutationValues(foldIn(root, c), count).map((i) => i + offset);
    const trainCount = count - Math.round(count * testFraction);
    train.push(order.subarray(0, trainCount));
    test.push(order.subarray(trainCount));
    offset += count;
  });
  return { train: interleave(train), test: interleave(test) };
}
