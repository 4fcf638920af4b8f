import { ArgumentError } from '../errors/errors';
import { threefry2x32 } from './threefry';

/**
 * An immutable PRNG key: two 32-bit words, as in JAX. Keys are plain values, so a run can be replayed
 * from a logged key, and the same key gives the same numbers on every backend (the bits are made in
 * JavaScript, never on the device).
 */
export interface Key {
  readonly k0: number;
  readonly k1: number;
}

/** Domain tags of the counter's second word, so splitting, folding and drawing never share a block. */
export const DOMAIN_BITS = 0;
const DOMAIN_SPLIT = 1;
const DOMAIN_FOLD = 2;

function makeKey(k0: number, k1: number): Key {
  return Object.freeze({ k0: k0 >>> 0, k1: k1 >>> 0 });
}

/**
 * Makes a key from an integer seed in [0, 2^53): `k0` holds the high 21 bits, `k1` the low 32.
 *
 * @throws ArgumentError when the seed is not a non-negative safe integer
 * @example
 * ```ts
 * const key = createKey(42);
 * const [a, b] = splitKey(key, 2);
 * ```
 */
export function createKey(seed: number): Key {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError({
      op: 'createKey',
      argument: 'seed',
      expected: 'a non-negative safe integer',
      actual: String(seed),
    });
  }
  return makeKey(Math.floor(seed / 2 ** 32), seed % 2 ** 32);
}

/** True for a value with the shape of a {@link Key}. */
export function isKey(value: unknown): value is Key {
  if (typeof value !== 'object' || value === null) return false;
  const { k0, k1 } = value as Record<string, unknown>;
  return (
    Number.isInteger(k0) && Number.isInteger(k1) && (k0 as number) >>> 0 === k0 && (k1 as number) >>> 0 === k1
  );
}

/** Throws an `ArgumentError` naming `op` when `key` is not a {@link Key}. */
export function checkKey(key: unknown, op: string, argument = 'key'): asserts key is Key {
  if (!isKey(key)) {
    const actual = typeof key === 'object' ? JSON.stringify(key) : String(key);
    throw new ArgumentError({ op, argument, expected: 'a Key from createKey(seed)', actual });
  }
}

/**
 * Splits a key into `n` new, statistically independent keys: key `i` is
 * `threefry2x32(key, [i, 1])`. The parent key should not be used again for drawing.
 *
 * @param n - how many keys, a positive integer (default 2)
 */
export function splitKey(key: Key, n = 2): Key[] {
  checkKey(key, 'splitKey');
  if (!Number.isInteger(n) || n < 1) {
    throw new ArgumentError({
      op: 'splitKey',
      argument: 'n',
      expected: 'a positive integer',
      actual: String(n),
    });
  }
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = threefry2x32(key.k0, key.k1, i, DOMAIN_SPLIT);
    out.push(makeKey(a, b));
  }
  return out;
}

/**
 * Derives a key from `key` and an integer (a step, an epoch, a sample index):
 * `threefry2x32(key, [data, 2])`. Different `data` give independent keys; the same `data` the same key.
 *
 * @param data - an integer in [0, 2^32)
 */
export function foldIn(key: Key, data: number): Key {
  checkKey(key, 'foldIn');
  if (!Number.isInteger(data) || data < 0 || data >= 2 ** 32) {
    throw new ArgumentError({
      op: 'foldIn',
      argument: 'data',
      expected: 'an integer in [0, 2^32)',
      actual: String(data),
    });
  }
  const [a, b] = threefry2x32(key.k0, key.k1, data, DOMAIN_FOLD);
  return makeKey(a, b);
}

/** A key as a JSON-friendly string `"k0:k1"` (hex), for logs and checkpoints. */
export function keyToString(key: Key): string {
  checkKey(key, 'keyToString');
  return `${key.k0.toString(16).padStart(8, '0')}:${key.k1.toString(16).padStart(8, '0')}`;
}

/** Parses {@link keyToString}'s output. */
export function keyFromString(text: string): Key {
  const match = /^([0-9a-f]{8}):([0-9a-f]{8})$/i.exec(text);
  if (!match) {
    throw new ArgumentError({
      op: 'keyFromString',
      argument: 'text',
      expected: "'xxxxxxxx:xxxxxxxx' (hex)",
      actual: JSON.stringify(text),
    });
  }
  return makeKey(Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16));
}
