import { ArgumentError } from '@genoise/core';

/** Throws an `ArgumentError` unless `value` is a positive integer. */
export function checkPositiveInteger(value: unknown, op: string, argument: string): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new ArgumentError({ op, argument, expected: 'a positive integer', actual: String(value) });
  }
}

/** Throws an `ArgumentError` unless `value` is a non-empty array of positive integers of length `length`. */
export function checkDimensions(
  value: unknown,
  op: string,
  argument: string,
  length?: number,
): asserts value is number[] {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    (length === undefined || value.length === length) &&
    value.every((d) => Number.isSafeInteger(d) && d >= 1);
  if (!ok) {
    const expected =
      length === undefined ? 'a non-empty array of positive integers' : `${length} positive integers`;
    throw new ArgumentError({ op, argument, expected, actual: JSON.stringify(value) ?? String(value) });
  }
}

/** Throws an `ArgumentError` unless `value` is a number in the open or closed interval given. */
export function checkRange(
  value: unknown,
  op: string,
  argument: string,
  { min, max, text }: { min: number; max: number; text: string },
): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ArgumentError({ op, argument, expected: text, actual: String(value) });
  }
}

/** Throws an `ArgumentError` unless `value` is a boolean. */
export function checkBoolean(value: unknown, op: string, argument: string): asserts value is boolean {
  if (typeof value !== 'boolean') {
    throw new ArgumentError({ op, argument, expected: 'true or false', actual: String(value) });
  }
}

/** Throws an `ArgumentError` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  op: string,
  argument: string,
): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new ArgumentError({
      op,
      argument,
      expected: allowed.map((a) => `'${a}'`).join(' or '),
      actual: JSON.stringify(value) ?? String(value),
    });
  }
}
