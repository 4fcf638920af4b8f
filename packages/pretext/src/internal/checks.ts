import {
  checkKey,
  checkOneOf,
  checkInteger as coreCheckInteger,
  checkNumber as coreCheckNumber,
  type Key,
} from '@genoise/core';

// Thin wrappers over core's value checks (one wording everywhere), returning the checked value.

/** Throws unless `value` is an integer in `[min, max]`. */
export function checkInteger(
  op: string,
  arg: string,
  value: unknown,
  min = 1,
  max = Number.POSITIVE_INFINITY,
): number {
  coreCheckInteger(value, { op, arg, min, max });
  return value;
}

/** Throws unless `value` is a finite number in `[min, max]` (`> min` when `exclusiveMin`). */
export function checkNumber(
  op: string,
  arg: string,
  value: unknown,
  { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, exclusiveMin = false } = {},
): number {
  coreCheckNumber(value, { op, arg, min, max, exclusiveMin });
  return value;
}

/** Throws unless `p` is a probability in [0, 1]. */
export function checkProbability(op: string, arg: string, p: unknown): number {
  return checkNumber(op, arg, p, { min: 0, max: 1 });
}

/** Throws unless `value` is one of `allowed`. */
export function checkChoice<const T extends string>(
  op: string,
  arg: string,
  value: unknown,
  allowed: readonly T[],
): T {
  checkOneOf(value, allowed, { op, arg });
  return value as T;
}

/** Checks a key argument. */
export function checkTaskKey(op: string, key: unknown): asserts key is Key {
  checkKey(key, op);
}
