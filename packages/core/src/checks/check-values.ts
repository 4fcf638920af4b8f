import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../errors/errors';

/**
 * Value checks for the non-tensor arguments of public functions: integers, numbers, booleans, one of a
 * list, options objects. One home for every package (as kornia keeps its checks in `kornia/core/check.py`).
 *
 * Every check takes the value first and the place last, as {@link checkShape} does
 * (`checkInteger(k, { op: 'weightedKnn', arg: 'k', min: 1, max: n })`), throws an {@link ArgumentError}
 * carrying `op`, `argument`, `expected` and `actual`, and words its message one way:
 * `weightedKnn: 'k' is 200 but expected an integer in [1, 19].`
 *
 * @packageDocumentation
 */

/** Where a value check happens: the public op and the argument's name (a path such as `'size[0]'` is fine). */
export interface ValueCheckContext {
  readonly op: string;
  readonly arg: string;
}

/** Bounds of {@link checkInteger}, inclusive; absent means unbounded on that side. */
export interface IntegerCheckContext extends ValueCheckContext {
  readonly min?: number;
  readonly max?: number;
}

/** Bounds of {@link checkNumber}, inclusive unless `exclusiveMin`/`exclusiveMax`; absent means unbounded. */
export interface NumberCheckContext extends ValueCheckContext {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: boolean;
  readonly exclusiveMax?: boolean;
}

/** Where an options check happens; `arg` defaults to `'options'`. */
export interface OptionsCheckContext {
  readonly op: string;
  readonly arg?: string;
}

/**
 * Names a value for an error message, short: `0`, `NaN`, `'left'`, `true`, `undefined`, `null`,
 * `[8,0]` (at most six entries), `Float32Array(3)`, `a tensor of shape [2,3]`, `a function`, or the
 * constructor's name (`Object`, `Map`).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map(describeValue).join(',');
    return `[${head}${value.length > 6 ? ',…' : ''}]`;
  }
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(',')}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  }
  return (value as object).constructor?.name ?? 'an object';
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'` (with `and` for `conjunction: 'and'`). */
function joinValues(values: readonly unknown[], conjunction: 'or' | 'and' = 'or'): string {
  const shown = values.map(describeValue);
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} ${conjunction} ${shown.at(-1)}`;
}

function fail(context: ValueCheckContext, expected: string, value: unknown): never {
  throw new ArgumentError({ op: context.op, argument: context.arg, expected, actual: describeValue(value) });
}

/**
 * Throws unless `value` is an integer in `[min, max]`.
 *
 * Expected, in the message: `an integer`, `an integer >= 1`, `an integer <= 8`, `an integer in [1, 19]`.
 *
 * @throws ArgumentError
 * @example
 * ```ts
 * checkInteger(k, { op: 'weightedKnn', arg: 'k', min: 1, max: bankSize });
 * // weightedKnn: 'k' is 200 but expected an integer in [1, 19].
 * ```
 */
export function checkInteger(value: unknown, context: IntegerCheckContext): asserts value is number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = context;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  const hasMin = Number.isFinite(min);
  const hasMax = Number.isFinite(max);
  const expected =
    hasMin && hasMax
      ? `an integer in [${min}, ${max}]`
      : hasMin
        ? `an integer >= ${min}`
        : hasMax
          ? `an integer <= ${max}`
          : 'an integer';
  fail(context, expected, value);
}

/**
 * Throws unless `value` is a finite number within the bounds (inclusive unless `exclusiveMin` or
 * `exclusiveMax`).
 *
 * Expected, in the message: `a finite number`, `a finite number > 0`, `a finite number >= 0 and <= 1`.
 *
 * @throws ArgumentError
 * @example
 * ```ts
 * checkNumber(temperature, { op: 'ntXent', arg: 'temperature', min: 0, exclusiveMin: true });
 * // ntXent: 'temperature' is 0 but expected a finite number > 0.
 * ```
 */
export function checkNumber(value: unknown, context: NumberCheckContext): asserts value is number {
  const {
    min = Number.NEGATIVE_INFINITY,
    max = Number.POSITIVE_INFINITY,
    exclusiveMin = false,
    exclusiveMax = false,
  } = context;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    (exclusiveMax ? value < max : value <= max)
  ) {
    return;
  }
  const low = Number.isFinite(min) ? `${exclusiveMin ? '>' : '>='} ${min}` : '';
  const high = Number.isFinite(max) ? `${exclusiveMax ? '<' : '<='} ${max}` : '';
  const bounds = [low, high].filter((s) => s !== '').join(' and ');
  fail(context, bounds === '' ? 'a finite number' : `a finite number ${bounds}`, value);
}

/**
 * Throws unless `value` is `true` or `false`.
 *
 * @throws ArgumentError
 * @example
 * ```ts
 * checkBoolean(normalize, { op: 'infoNCE', arg: 'normalize' });
 * // infoNCE: 'normalize' is 'yes' but expected true or false.
 * ```
 */
export function checkBoolean(value: unknown, context: ValueCheckContext): asserts value is boolean {
  if (typeof value !== 'boolean') fail(context, 'true or false', value);
}

/**
 * Throws unless `value` is one of `allowed` (compared with `===`).
 *
 * @throws ArgumentError
 * @example
 * ```ts
 * checkOneOf(reduction, ['mean', 'sum', 'none'] as const, { op: 'ntXent', arg: 'reduction' });
 * // ntXent: 'reduction' is 'max' but expected 'mean', 'sum' or 'none'.
 * ```
 */
export function checkOneOf<const T>(
  value: unknown,
  allowed: readonly T[],
  context: ValueCheckContext,
): asserts value is T {
  if (!allowed.includes(value as T)) fail(context, joinValues(allowed), value);
}

/**
 * Checks an options argument: `undefined` (read as `{}`) or a plain object whose own keys are all in
 * `allowed`. A misspelt option fails loudly instead of being ignored. Returns the options, or `{}`.
 *
 * Messages: `ssim: 'options' is an array but expected an options object.` and
 * `ssim: 'options' has an unknown key 'windowsize'; the allowed keys are 'windowSize', 'c1' and 'c2'.`
 *
 * @param allowed the option names the function reads
 * @throws ArgumentError
 * @example
 * ```ts
 * const { temperature = 0.5 } = checkOptions(options, ['temperature', 'reduction'], { op: 'ntXent' });
 * ```
 */
export function checkOptions<T extends object>(
  value: T | undefined,
  allowed: readonly (keyof T & string)[] | readonly string[],
  context: OptionsCheckContext,
): T {
  const { op, arg = 'options' } = context;
  if (value === undefined) return {} as T;
  const proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) {
    const actual =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? `${describeValue(value)} (not a plain object)`
        : Array.isArray(value)
          ? 'an array'
          : describeValue(value);
    throw new ArgumentError({ op, argument: arg, expected: 'an options object', actual });
  }
  const known = allowed as readonly string[];
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const list =
        known.length === 0 ? 'it takes no options' : `the allowed keys are ${joinValues(known, 'and')}`;
      throw new ArgumentError({
        op,
        argument: arg,
        expected: known.length === 0 ? 'no keys' : `keys among ${joinValues(known, 'and')}`,
        actual: `'${key}'`,
        message: `${op}: '${arg}' has an unknown key '${key}'; ${list}.`,
      });
    }
  }
  return value;
}
