import { ArgumentError } from '@genoise/core';

/** Renders a value for an error message, short. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  if (Array.isArray(value))
    return `[${value.slice(0, 6).map(show).join(',')}${value.length > 6 ? ',…' : ''}]`;
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'function') return 'a function';
  return value.constructor?.name ?? 'an object';
}

/** Throws an ArgumentError unless `value` is an integer in `[min, max]`. */
export function checkInteger(
  value: unknown,
  op: string,
  argument: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new ArgumentError({ op, argument, expected: range, actual: show(value) });
  }
}

/** Throws an ArgumentError unless `value` is one of `allowed`. */
export function checkOneOf<T>(
  value: unknown,
  allowed: readonly T[],
  op: string,
  argument: string,
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError({
      op,
      argument,
      expected: `one of ${allowed.map(show).join(', ')}`,
      actual: show(value),
    });
  }
}

/** Throws an ArgumentError unless `value` is a boolean. */
export function checkBoolean(value: unknown, op: string, argument: string): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new ArgumentError({ op, argument, expected: 'a boolean', actual: show(value) });
  }
}

/**
 * Copies `indices` into an Int32Array after checking every entry is an integer in `[0, size)`.
 * Accepts arrays and typed arrays.
 */
export function checkIndices(indices: unknown, size: number, op: string, argument = 'indices'): Int32Array {
  const isList = Array.isArray(indices) || (ArrayBuffer.isView(indices) && !(indices instanceof DataView));
  if (!isList) {
    throw new ArgumentError({ op, argument, expected: 'an array of example indices', actual: show(indices) });
  }
  const list = indices as ArrayLike<unknown>;
  const out = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) {
      throw new ArgumentError({
        op,
        argument,
        message: `${op}: '${argument}[${i}]' is ${show(v)} but expected an integer in [0, ${size}) (the dataset has ${size} examples).`,
      });
    }
    out[i] = v;
  }
  return out;
}

/** Throws an ArgumentError unless `value` is a finite number in `[min, max]` (or `(min, max]` with `open`). */
export function checkNumber(
  value: unknown,
  op: string,
  argument: string,
  {
    min = Number.NEGATIVE_INFINITY,
    max = Number.POSITIVE_INFINITY,
    open = false,
  }: { min?: number; max?: number; open?: boolean } = {},
): asserts value is number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (open ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const low = min === Number.NEGATIVE_INFINITY ? '' : `${open ? '> ' : '>= '}${min}`;
    const high = max === Number.POSITIVE_INFINITY ? '' : `<= ${max}`;
    const range = [low, high].filter((s) => s !== '').join(' and ');
    throw new ArgumentError({
      op,
      argument,
      expected: range ? `a finite number ${range}` : 'a finite number',
      actual: show(value),
    });
  }
}

/** Throws an ArgumentError unless `value` is an options object (or undefined, read as `{}`). */
export function checkOptionsObject(value: unknown, op: string, what = 'an options object'): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new ArgumentError({ op, argument: 'options', expected: what, actual: show(value) });
  }
}
