import { ArgumentError, checkKey, type Key } from '@genoise/core';

const fmt = (value: unknown): string =>
  Array.isArray(value) ? `[${value.map((v) => String(v)).join(', ')}]` : String(value);

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInteger(
  op: string,
  argument: string,
  value: unknown,
  min = 1,
  max = 2 ** 31 - 1,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const expected = max === 2 ** 31 - 1 ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new ArgumentError({ op, argument, expected, actual: fmt(value) });
  }
  return value;
}

/** Throws unless `value` is a finite number in `[min, max]` (`> min` when `exclusiveMin`). */
export function checkNumber(
  op: string,
  argument: string,
  value: unknown,
  { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, exclusiveMin = false } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (exclusiveMin ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const low = Number.isFinite(min) ? `${exclusiveMin ? '>' : '>='} ${min}` : '';
    const high = Number.isFinite(max) ? `<= ${max}` : '';
    throw new ArgumentError({
      op,
      argument,
      expected: `a finite number ${[low, high].filter(Boolean).join(' and ')}`.trim(),
      actual: fmt(value),
    });
  }
  return value as number;
}

/** Throws unless `p` is a probability in [0, 1]. */
export function checkProbability(op: string, argument: string, p: unknown): number {
  return checkNumber(op, argument, p, { min: 0, max: 1 });
}

/** Throws unless `value` is one of `allowed`. */
export function checkChoice<T extends string>(
  op: string,
  argument: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError({
      op,
      argument,
      expected: allowed.map((a) => `'${a}'`).join(', '),
      actual: typeof value === 'string' ? `'${value}'` : fmt(value),
    });
  }
  return value as T;
}

/** Throws unless `options` is undefined or a plain object. */
export function checkOptions(op: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ArgumentError({ op, argument: 'options', expected: 'an options object', actual: fmt(options) });
  }
}

/** Checks a key argument. */
export function checkTaskKey(op: string, key: unknown): asserts key is Key {
  checkKey(key, op);
}
