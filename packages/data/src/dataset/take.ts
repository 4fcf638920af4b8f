import { ArgumentError, checkInteger, checkKey, foldIn, type Key, permutationValues } from '@genoise/core';

import type { Dataset } from './dataset';
import { checkDataset, subset } from './subset';

/**
 * How many of `n` examples each class gets, proportional to its count (largest remainder; ties to the
 * lower label).
 */
function classQuotas(counts: readonly number[], total: number, n: number): number[] {
  const exact = counts.map((c) => (n * c) / total);
  const quotas = exact.map(Math.floor);
  let left = n - quotas.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, c) => ({ c, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.c - b.c);
  for (const { c } of order) {
    if (left === 0) break;
    if (quotas[c]! < counts[c]!) {
      quotas[c]!++;
      left--;
    }
  }
  return quotas;
}

/** Indices of each label, ascending. */
function indicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  return byClass;
}

/** The chosen example indices of {@link take}, ascending. */
function takeIndices(dataset: Dataset, n: number, key: Key): Int32Array {
  const { labels } = dataset;
  if (!labels) return permutationValues(key, dataset.size).slice(0, n).sort();
  const numClasses = dataset.numClasses ?? labels.reduce((m, l) => Math.max(m, l + 1), 0);
  const byClass = indicesByClass(labels, numClasses);
  const quotas = classQuotas(
    byClass.map((members) => members.length),
    dataset.size,
    n,
  );
  const chosen: number[] = [];
  byClass.forEach((members, c) => {
    const order = permutationValues(foldIn(key, c), members.length);
    for (let i = 0; i < quotas[c]!; i++) chosen.push(members[order[i]!]!);
  });
  return Int32Array.from(chosen).sort();
}

/**
 * `n` examples of `dataset` chosen by `key`, in their original order. With labels the choice is
 * stratified: each class gets `n * count / size` examples (largest remainder), chosen within the class
 * by a keyed permutation (`foldIn(key, label)`); without labels, the first `n` of a keyed permutation.
 * The same key gives the same examples.
 *
 * @param dataset - any {@link Dataset}
 * @param n - how many examples, an integer in `[0, dataset.size]`
 * @param key - a {@link Key}
 * @returns a {@link subset} of `n` examples, named `'<name>[subset]'`
 * @throws ArgumentError when `dataset` is not a Dataset, `n` is out of range or `key` is not a Key
 * @example
 * ```ts
 * const small = take(train, 1000, createKey(0)); // 100 of each of 10 balanced classes
 * ```
 */
export function take(dataset: Dataset, n: number, key: Key): Dataset {
  checkDataset(dataset, 'take');
  checkInteger(n, { op: 'take', arg: 'n', min: 0, max: dataset.size });
  checkKey(key, 'take');
  if (dataset.labels && dataset.labels.length !== dataset.size) {
    throw new ArgumentError({
      op: 'take',
      argument: 'dataset',
      message: `take: 'dataset.labels' has ${dataset.labels.length} entries but the dataset has ${dataset.size} examples.`,
    });
  }
  return subset(dataset, takeIndices(dataset, n, key));
}
