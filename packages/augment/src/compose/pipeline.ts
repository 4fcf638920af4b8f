import { ArgumentError, foldIn, type Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation, ImageSize } from '../augmentation/augmentation';
import { checkSampleArgs } from '../internal/checks';

/** Options of {@link pipeline}. */
export interface PipelineOptions {
  /** Name used in errors and the tidy scope. Default `'pipeline'`. */
  readonly name?: string;
}

/**
 * Composes augmentations into one: `apply(x, params) = a_n(... a_1(x, params[0]) ..., params[n-1])`.
 * `sample` draws each stage's params with `foldIn(key, i)` at the size the previous stages produce
 * (a crop changes it), so the params are the array of each stage's params.
 *
 * @param augmentations - the stages, in order
 * @param options.name - name for errors and the tidy scope, default `'pipeline'`
 * @returns an augmentation whose params are `readonly unknown[]`, one entry per stage
 * @throws ArgumentError when `augmentations` is not an array of augmentations, or params do not match
 * @example
 * ```ts
 * const view = pipeline([randomResizedCrop({ size: 32 }), horizontalFlip(), colorJitter({ brightness: 0.4 })]);
 * const params = view.sample(createKey(0), 8, { height: 64, width: 64, channels: 3 });
 * const out = view.apply(images, params); // [8, 32, 32, 3]; params[1].applied says which were flipped
 * ```
 */
export function pipeline(
  augmentations: readonly Augmentation[],
  { name = 'pipeline' }: PipelineOptions = {},
): Augmentation<readonly unknown[]> {
  if (
    !Array.isArray(augmentations) ||
    !augmentations.every((a) => typeof a?.sample === 'function' && typeof a?.apply === 'function')
  ) {
    throw new ArgumentError({
      op: name,
      argument: 'augmentations',
      expected: 'an array of augmentations (objects with sample and apply)',
      actual: Array.isArray(augmentations)
        ? `[${augmentations.map((a) => typeof a).join(', ')}]`
        : typeof augmentations,
    });
  }
  const stages = [...augmentations];
  const outputSize = (imageSize: ImageSize): ImageSize =>
    stages.reduce((size, stage) => stage.outputSize?.(size) ?? size, imageSize);
  return {
    name,
    outputSize,
    sample(key: Key, batchSize: number, imageSize: ImageSize): readonly unknown[] {
      checkSampleArgs(name, key, batchSize, imageSize);
      let size = imageSize;
      return stages.map((stage, i) => {
        const params = stage.sample(foldIn(key, i), batchSize, size);
        size = stage.outputSize?.(size) ?? size;
        return params;
      });
    },
    apply(images: tf.Tensor4D, params: readonly unknown[]): tf.Tensor4D {
      if (!Array.isArray(params) || params.length !== stages.length) {
        throw new ArgumentError({
          op: name,
          argument: 'params',
          expected: `an array of ${stages.length} params (one per stage, from sample())`,
          actual: Array.isArray(params) ? `an array of ${params.length}` : typeof params,
        });
      }
      return tf.tidy(name, () => {
        let x = images;
        stages.forEach((stage, i) => {
          const next = stage.apply(x, params[i]);
          if (x !== images && next !== x) x.dispose();
          x = next;
        });
        return x === images ? tf.clone(images) : x;
      });
    },
  };
}
