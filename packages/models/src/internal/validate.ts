import { ArgumentError, describeValue } from '@genoise/core';

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
    throw new ArgumentError({ op, argument, expected, actual: describeValue(value) });
  }
}
