import { ArgumentError, describeValue } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkIndices } from '../internal/checks';
import type { Dataset } from './dataset';

/** Throws an ArgumentError naming `op` unless `dataset` looks like a {@link Dataset}. */
export function checkDataset(dataset: unknown, op: string, argument = 'dataset'): asserts dataset is Dataset {
  const d = dataset as Partial<Dataset> | null;
  const ok =
    typeof d === 'object' &&
    d !== null &&
    typeof d.images === 'function' &&
    typeof d.size === 'number' &&
    Array.isArray(d.imageShape);
  if (!ok) {
    throw new ArgumentError({
      op,
      argument,
      expected: 'a Dataset (e.g. from uint8Dataset or loadMnist)',
      actual: describeValue(dataset),
    });
  }
}

/**
 * A view of `dataset` holding the examples `indices`, in that order: example `i` of the view is
 * example `indices[i]` of `dataset`. No pixels are copied; labels are gathered.
 *
 * @param dataset - any {@link Dataset}
 * @param indices - example indices, integers in `[0, dataset.size)` (repeats allowed)
 * @returns a dataset of `indices.length` examples, named `'<name>[subset]'`
 * @throws ArgumentError when `dataset` is not a Dataset or an index is out of range
 * @example
 * ```ts
 * const firstTen = subset(train, Array.from({ length: 10 }, (_, i) => i));
 * console.log(firstTen.size); // 10
 * ```
 */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  checkDataset(dataset, 'subset');
  const map = checkIndices(indices, dataset.size, 'subset');
  const parentIndices = (local: ArrayLike<number>): Int32Array => {
    const checked = checkIndices(local, map.length, `${dataset.name}[subset].images`);
    for (let i = 0; i < checked.length; i++) checked[i] = map[checked[i]!]!;
    return checked;
  };
  const parentLabels = dataset.labels;
  const labels = parentLabels ? Int32Array.from(map, (i) => parentLabels[i]!) : undefined;
  const view: Dataset = {
    name: `${dataset.name}[subset]`,
    size: map.length,
    imageShape: dataset.imageShape,
    numClasses: dataset.numClasses,
    classNames: dataset.classNames,
    labels,
    images: (local: ArrayLike<number>): tf.Tensor4D => {
      const global = parentIndices(local);
      return tf.tidy('subset.images', () => dataset.images(global));
    },
  };
  const parentFloats = dataset.floatPixels;
  return Object.freeze(
    parentFloats
      ? { ...view, floatPixels: (local: ArrayLike<number>) => parentFloats(parentIndices(local)) }
      : view,
  );
}
