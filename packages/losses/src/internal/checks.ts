import {
  ArgumentError,
  checkDType,
  checkShape,
  checkTensor,
  type ShapeBindings,
  ShapeError,
} from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Checks a batch of embeddings: a float32 `[B, D]` tensor whose `B` and `D` agree with the other
 * arguments bound in `bindings`, with at least `minRows` rows and one column.
 */
export function checkEmbeddings(
  x: unknown,
  { op, arg, bindings, minRows = 1 }: { op: string; arg: string; bindings: ShapeBindings; minRows?: number },
): asserts x is tf.Tensor2D {
  checkTensor(x, { op, arg });
  checkShape(x, ['B', 'D'], { op, arg, bindings });
  checkDType(x, ['float32'], { op, arg });
  const [rows, columns] = x.shape as [number, number];
  if (rows < minRows || columns < 1) {
    const need = minRows === 1 ? 'at least 1 row' : `at least ${minRows} rows (batch statistics)`;
    throw new ShapeError({
      op,
      argument: arg,
      expected: `[B,D] with ${need} and D >= 1`,
      actual: `[${x.shape.join(',')}]`,
      message: `${op}: '${arg}' has shape [${x.shape.join(',')}] but expected [B,D] with ${need} and D >= 1.`,
    });
  }
}

/** Throws unless `options` is an object or `undefined`. */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new ArgumentError({
      op,
      argument: 'options',
      expected: 'an options object',
      actual: options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options,
    });
  }
}

/** Throws unless `value` is a finite number `> 0`. */
export function checkPositive(op: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ArgumentError({ op, argument, expected: 'a finite number > 0', actual: String(value) });
  }
}

/** Throws unless `value` is a finite number `>= 0`. */
export function checkNonNegative(op: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError({ op, argument, expected: 'a finite number >= 0', actual: String(value) });
  }
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(op: string, argument: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new ArgumentError({ op, argument, expected: 'true or false', actual: String(value) });
  }
}
