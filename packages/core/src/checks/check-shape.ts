import * as tf from '@tensorflow/tfjs-core';
import { DTypeError, ShapeError } from '../errors/errors';

/** One dimension of a shape spec: an exact size, a symbol bound across arguments (`'B'`), or `null` (any). */
export type DimSpec = number | string | null;

/** Where a symbol was first bound: its size, and the argument and shape that bound it. */
interface Binding {
  readonly size: number;
  readonly arg: string;
  readonly shape: readonly number[];
  readonly spec: readonly DimSpec[];
}

/**
 * Symbol sizes bound while checking the arguments of one call. Create one per call with
 * {@link shapeBindings}, pass it to every {@link checkShape} of that call, then read sizes with `get`.
 */
export class ShapeBindings {
  readonly #map = new Map<string, Binding>();

  /** The size bound to `symbol`, or `undefined`. */
  get(symbol: string): number | undefined {
    return this.#map.get(symbol)?.size;
  }

  /** @internal */
  lookup(symbol: string): Binding | undefined {
    return this.#map.get(symbol);
  }

  /** @internal */
  bind(symbol: string, binding: Binding): void {
    this.#map.set(symbol, binding);
  }
}

/** A fresh set of symbol bindings for one call. */
export function shapeBindings(): ShapeBindings {
  return new ShapeBindings();
}

/** Where a check happens: the public op and the argument's name. */
export interface CheckContext {
  readonly op: string;
  readonly arg: string;
  /** Bindings shared with the other arguments of the same call. */
  readonly bindings?: ShapeBindings;
  /** A sentence appended to rank errors, e.g. how to add a batch dimension. */
  readonly hint?: string;
}

const fmtShape = (shape: readonly number[]): string => `[${shape.join(',')}]`;
const fmtSpec = (spec: readonly DimSpec[]): string =>
  `[${spec.map((d) => (d === null ? '*' : String(d))).join(',')}]`;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : `a ${typeof value}`;
}

/** Throws a `ShapeError` unless `x` is a tf.Tensor. */
export function checkTensor(
  x: unknown,
  { op, arg }: Pick<CheckContext, 'op' | 'arg'>,
): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) {
    throw new ShapeError({ op, argument: arg, expected: 'a tf.Tensor', actual: describe(x) });
  }
  if (x.isDisposed) {
    throw new ShapeError({
      op,
      argument: arg,
      message: `${op}: '${arg}' is a disposed tensor; it was freed before this call.`,
    });
  }
}

/**
 * Checks `x`'s shape against `spec`, binding symbols across the arguments of one call.
 *
 * Errors, matched by tests as text:
 * - rank: `ssim: 'x' has shape [32,32,3] (rank 3) but expected [B,H,W,C] (rank 4).` plus the hint;
 * - exact size: `ssim: 'x' has shape [2,32,32,4] but expected [B,H,W,3].`;
 * - symbol: `ssim: 'y' has shape [2,64,64,3] but 'x' has [2,32,32,3]; both must be [B,H,W,C] with equal sizes.`
 *
 * @returns the bindings (new or the ones passed in), so `checkShape(...).get('B')` reads a size
 * @throws ShapeError
 * @example
 * ```ts
 * const dims = shapeBindings();
 * checkShape(x, ['B', 'H', 'W', 'C'], { op: 'ssim', arg: 'x', bindings: dims });
 * checkShape(y, ['B', 'H', 'W', 'C'], { op: 'ssim', arg: 'y', bindings: dims });
 * const height = dims.get('H');
 * ```
 */
export function checkShape(x: unknown, spec: readonly DimSpec[], context: CheckContext): ShapeBindings {
  const { op, arg, hint } = context;
  const bindings = context.bindings ?? shapeBindings();
  checkTensor(x, context);
  const shape = x.shape;
  if (shape.length !== spec.length) {
    throw new ShapeError({
      op,
      argument: arg,
      expected: fmtSpec(spec),
      actual: fmtShape(shape),
      message: `${op}: '${arg}' has shape ${fmtShape(shape)} (rank ${shape.length}) but expected ${fmtSpec(spec)} (rank ${spec.length}).${hint ? ` ${hint}` : ''}`,
    });
  }
  // First pass: exact sizes and symbols repeated within this argument.
  const local = new Map<string, number>();
  spec.forEach((d, i) => {
    const size = shape[i]!;
    if (typeof d === 'number' && size !== d) {
      throw new ShapeError({
        op,
        argument: arg,
        expected: fmtSpec(spec),
        actual: fmtShape(shape),
        message: `${op}: '${arg}' has shape ${fmtShape(shape)} but expected ${fmtSpec(spec)}.`,
      });
    }
    if (typeof d === 'string') {
      const seen = local.get(d);
      if (seen !== undefined && seen !== size) {
        throw new ShapeError({
          op,
          argument: arg,
          expected: fmtSpec(spec),
          actual: fmtShape(shape),
          message: `${op}: '${arg}' has shape ${fmtShape(shape)} but expected ${fmtSpec(spec)}, where both '${d}' sizes must be equal.`,
        });
      }
      local.set(d, size);
    }
  });
  // Second pass: agreement with the other arguments of the call.
  for (const [symbol, size] of local) {
    const bound = bindings.lookup(symbol);
    if (bound === undefined) {
      bindings.bind(symbol, { size, arg, shape: [...shape], spec });
    } else if (bound.size !== size) {
      const sameSpec = fmtSpec(bound.spec) === fmtSpec(spec);
      const must = sameSpec
        ? `both must be ${fmtSpec(spec)} with equal sizes`
        : `'${symbol}' must be the same size in both (${bound.size} vs ${size})`;
      throw new ShapeError({
        op,
        argument: arg,
        expected: `${symbol}=${bound.size}`,
        actual: fmtShape(shape),
        message: `${op}: '${arg}' has shape ${fmtShape(shape)} but '${bound.arg}' has ${fmtShape(bound.shape)}; ${must}.`,
      });
    }
  }
  return bindings;
}

/**
 * Throws a `DTypeError` unless `x.dtype` is one of `allowed`.
 *
 * Message: `ssim: 'x' has dtype int32 but expected float32.`
 */
export function checkDType(
  x: unknown,
  allowed: readonly tf.DataType[],
  context: Pick<CheckContext, 'op' | 'arg'>,
): void {
  checkTensor(x, context);
  if (!allowed.includes(x.dtype)) {
    throw new DTypeError({
      op: context.op,
      argument: context.arg,
      expected: allowed.join(' or '),
      actual: x.dtype,
      message: `${context.op}: '${context.arg}' has dtype ${x.dtype} but expected ${allowed.join(' or ')}.`,
    });
  }
}
