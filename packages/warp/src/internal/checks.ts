import {
  ArgumentError,
  checkDType,
  checkShape,
  type DimSpec,
  type ShapeBindings,
  shapeBindings,
} from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The sentence appended to rank errors of batched maps (images, depth, coordinates, flow). */
export const BATCH_HINT =
  'Maps are batched [B,H,W,C]; add a batch dimension with asBatch(x) or x.expandDims(0).';

/** Sampling padding: what a coordinate outside the image reads. */
export type Padding = 'zeros' | 'border';

const fmt = (value: unknown): string =>
  Array.isArray(value) ? `[${value.map((v) => String(v)).join(', ')}]` : String(value);

/**
 * Checks a float32 batched map against `spec` (rank 4, `[B,H,W,C]`-like), with the batch hint on rank
 * errors. Returns the bindings.
 */
export function checkMap(
  x: unknown,
  spec: readonly DimSpec[],
  op: string,
  arg: string,
  bindings: ShapeBindings = shapeBindings(),
): ShapeBindings {
  checkShape(x, spec, { op, arg, bindings, hint: BATCH_HINT });
  checkDType(x, ['float32'], { op, arg });
  return bindings;
}

/** Checks a float32 tensor against `spec` (matrices, vectors), binding symbols across arguments. */
export function checkFloat(
  x: unknown,
  spec: readonly DimSpec[],
  op: string,
  arg: string,
  bindings: ShapeBindings = shapeBindings(),
): asserts x is tf.Tensor {
  checkShape(x, spec, { op, arg, bindings });
  checkDType(x, ['float32'], { op, arg });
}

/** Throws unless `options` is an object or `undefined`; returns it or `{}`. */
export function checkOptions<T extends object>(op: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError({
      op,
      argument: 'options',
      expected: 'an options object',
      actual: options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options,
    });
  }
  return options;
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  op: string,
  argument: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ArgumentError({
      op,
      argument,
      expected: allowed.map((a) => `'${a}'`).join(' or '),
      actual: typeof value === 'string' ? `'${value}'` : fmt(value),
    });
  }
  return value as T;
}

/** Throws unless `value` is a finite number, `> 0` when `positive`, `>= 0` otherwise. */
export function checkNumber(op: string, argument: string, value: unknown, positive = true): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive ? value <= 0 : value < 0)) {
    throw new ArgumentError({
      op,
      argument,
      expected: `a finite number ${positive ? '> 0' : '>= 0'}`,
      actual: fmt(value),
    });
  }
  return value;
}

/** Throws unless `value` is an integer `>= min`. */
export function checkInteger(op: string, argument: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError({ op, argument, expected: `an integer >= ${min}`, actual: fmt(value) });
  }
  return value;
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(op: string, argument: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ArgumentError({ op, argument, expected: 'true or false', actual: fmt(value) });
  }
  return value;
}
