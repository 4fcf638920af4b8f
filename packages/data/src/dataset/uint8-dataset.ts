import { ArgumentError, checkOptions, describeValue } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkIndices } from '../internal/checks';
import { gatherUnitFloats } from '../internal/decode';
import type { Dataset } from './dataset';

/** Options of {@link uint8Dataset}. */
export interface Uint8DatasetOptions {
  /** A short name for logs, e.g. `'digits'`. */
  readonly name: string;
  /** The bytes of all examples, NHWC, one after another: `size * H * W * C` values 0..255. */
  readonly pixels: Uint8Array;
  /** `[H, W, C]` of every example. */
  readonly imageShape: readonly [number, number, number];
  /** One label per example, integers in `[0, numClasses)`. Default: none. */
  readonly labels?: Int32Array | undefined;
  /**
   * Class names indexed by label. Default: none; then `numClasses` is `max(labels) + 1` when labels
   * are given.
   */
  readonly classNames?: readonly string[] | undefined;
}

/** A {@link Dataset} held as bytes in memory; what every loader of this package returns. */
export interface Uint8Dataset extends Dataset {
  /** The bytes of all examples (shared, not copied: do not modify). */
  readonly pixels: Uint8Array;
  readonly floatPixels: (indices: ArrayLike<number>) => Float32Array;
}

const OP = 'uint8Dataset';

function checkImageShape(imageShape: unknown): asserts imageShape is readonly [number, number, number] {
  const ok =
    Array.isArray(imageShape) &&
    imageShape.length === 3 &&
    imageShape.every((d) => typeof d === 'number' && Number.isInteger(d) && d > 0);
  if (!ok) {
    throw new ArgumentError({
      op: OP,
      argument: 'imageShape',
      expected: '[H, W, C] of positive integers',
      actual: describeValue(imageShape),
    });
  }
}

function checkLabels(labels: unknown, size: number, classNames: readonly string[] | undefined): number {
  if (!(labels instanceof Int32Array)) {
    throw new ArgumentError({
      op: OP,
      argument: 'labels',
      expected: 'an Int32Array',
      actual: describeValue(labels),
    });
  }
  if (labels.length !== size) {
    throw new ArgumentError({
      op: OP,
      argument: 'labels',
      message: `${OP}: 'labels' has ${labels.length} entries but 'pixels' holds ${size} examples; expected one label per example.`,
    });
  }
  const limit = classNames?.length ?? Number.MAX_SAFE_INTEGER;
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= limit) {
      throw new ArgumentError({
        op: OP,
        argument: 'labels',
        message: `${OP}: 'labels[${i}]' is ${label} but expected an integer in [0, ${classNames ? limit : 'numClasses'}).`,
      });
    }
    if (label > max) max = label;
  }
  return classNames?.length ?? max + 1;
}

function checkDatasetOptions(options: Uint8DatasetOptions): void {
  checkOptions(options, ['name', 'pixels', 'imageShape', 'labels', 'classNames'], { op: OP });
  if (typeof options.name !== 'string') {
    throw new ArgumentError({
      op: OP,
      argument: 'name',
      expected: 'a string',
      actual: describeValue(options.name),
    });
  }
  if (!(options.pixels instanceof Uint8Array)) {
    throw new ArgumentError({
      op: OP,
      argument: 'pixels',
      expected: 'a Uint8Array',
      actual: describeValue(options.pixels),
    });
  }
  checkImageShape(options.imageShape);
  const { classNames } = options;
  if (
    classNames !== undefined &&
    !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string'))
  ) {
    throw new ArgumentError({
      op: OP,
      argument: 'classNames',
      expected: 'an array of strings',
      actual: describeValue(classNames),
    });
  }
}

/**
 * An in-memory {@link Dataset} over the bytes of all its examples in one `Uint8Array`, decoded to
 * float32 `x / 255` per request, so a set of 70,000 28x28 images costs 55 MB, not 220 MB.
 *
 * @param options.name - a short name for logs
 * @param options.pixels - `size * H * W * C` bytes, NHWC, example after example
 * @param options.imageShape - `[H, W, C]`
 * @param options.labels - optional `Int32Array` of `size` labels in `[0, numClasses)`
 * @param options.classNames - optional names indexed by label (sets `numClasses`)
 * @returns a dataset whose `images(indices)` gives float32 `[n, H, W, C]` in [0, 1]
 * @throws ArgumentError when `pixels` is not a whole number of examples, `imageShape` is not three
 *   positive integers, or a label is out of range or the label count differs from the example count
 * @example
 * ```ts
 * const pixels = new Uint8Array([0, 255, 51, 102]); // two 1x2 grey images
 * const data = uint8Dataset({ name: 'toy', pixels, imageShape: [1, 2, 1], labels: Int32Array.of(0, 1) });
 * const x = data.images([1]); // [[[[0.2], [0.4]]]]
 * x.dispose();
 * ```
 */
export function uint8Dataset(options: Uint8DatasetOptions): Uint8Dataset {
  checkDatasetOptions(options);
  const { name, pixels, imageShape, classNames } = options;
  const [height, width, channels] = imageShape;
  const exampleLength = height * width * channels;
  if (pixels.length % exampleLength !== 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'pixels',
      message: `${OP}: 'pixels' has ${pixels.length} bytes, not a multiple of H*W*C = ${exampleLength} for imageShape [${imageShape.join(',')}].`,
    });
  }
  const size = pixels.length / exampleLength;
  const labels = options.labels;
  const numClasses = labels !== undefined ? checkLabels(labels, size, classNames) : classNames?.length;
  const shape = Object.freeze([height, width, channels] as const);
  const floatPixels = (indices: ArrayLike<number>): Float32Array =>
    gatherUnitFloats(pixels, exampleLength, checkIndices(indices, size, `${name}.images`));
  return Object.freeze({
    name,
    size,
    imageShape: shape,
    numClasses,
    classNames: classNames ? Object.freeze([...classNames]) : undefined,
    labels,
    pixels,
    floatPixels,
    images(indices: ArrayLike<number>): tf.Tensor4D {
      const values = floatPixels(indices);
      return tf.tidy('uint8Dataset.images', () =>
        tf.tensor4d(values, [indices.length, height, width, channels]),
      );
    },
  });
}
