import {
  ArgumentError,
  checkDType,
  checkShape,
  describeValue,
  type ShapeBindings,
  ShapeError,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Class labels as accepted by the public functions: an `Int32Array` or a rank-1 tensor (int32 or float32). */
export type Labels = Int32Array | tf.Tensor1D;

/** Checks a float32 feature matrix `[rows, columns]`, binding its symbols in `bindings`. */
export function checkFeatures(
  x: unknown,
  spec: readonly [string, string],
  op: string,
  arg: string,
  bindings: ShapeBindings,
): asserts x is tf.Tensor2D {
  checkShape(x, spec, { op, arg, bindings });
  checkDType(x, ['float32'], { op, arg });
}

/**
 * Checks the length of `labels` against `rows` (the feature matrix's first dimension) without
 * reading any data. Accepts an `Int32Array` or a rank-1 int32/float32 tensor.
 */
export function checkLabelsShape(
  labels: unknown,
  rows: number,
  op: string,
  arg: string,
  featuresArg: string,
): asserts labels is Labels {
  let length: number;
  if (labels instanceof Int32Array) {
    length = labels.length;
  } else if (labels instanceof tf.Tensor) {
    checkShape(labels, [null], { op, arg });
    checkDType(labels, ['int32', 'float32'], { op, arg });
    length = labels.shape[0]!;
  } else {
    throw new ArgumentError({
      op,
      argument: arg,
      expected: 'an Int32Array or a rank-1 tf.Tensor',
      actual: describeValue(labels),
    });
  }
  if (length !== rows) {
    throw new ShapeError({
      op,
      argument: arg,
      expected: String(rows),
      actual: String(length),
      message: `${op}: '${arg}' has ${length} labels but '${featuresArg}' has ${rows} rows; both must have the same N.`,
    });
  }
}

/**
 * Reads labels into an `Int32Array` (awaiting `data()` for a tensor) and checks that every value is an
 * integer in `[0, numClasses)` (any integer when `numClasses` is `undefined`). Never allocates a tensor.
 */
export async function readLabels(
  labels: Labels,
  numClasses: number | undefined,
  op: string,
  arg: string,
): Promise<Int32Array> {
  const values = labels instanceof Int32Array ? labels : await labels.data();
  const upper = numClasses ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= upper) {
      const expected = numClasses === undefined ? 'non-negative integers' : `integers in [0, ${numClasses})`;
      const suffix = numClasses === undefined ? '' : ` (numClasses = ${numClasses})`;
      throw new ArgumentError({
        op,
        argument: arg,
        expected,
        actual: String(v),
        message: `${op}: '${arg}' holds ${v} at index ${i} but expected ${expected}${suffix}.`,
      });
    }
  }
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

/** Lets the event loop run (a UI repaint in the browser, I/O in Node) between chunks of work. */
export function yieldToEventLoop(): Promise<void> {
  return tf.nextFrame();
}
