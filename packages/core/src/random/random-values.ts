import { ArgumentError } from '../errors/errors';
import { checkKey, DOMAIN_BITS, type Key } from './key';
import { threefry2x32 } from './threefry';

/**
 * `count` uint32 words from `key`: block `i` is `threefry2x32(key, [i, 0])`, two words a block.
 * The building block of every random helper; plain JavaScript, so identical on every backend.
 */
export function randomBits(key: Key, count: number): Uint32Array {
  checkKey(key, 'randomBits');
  checkCount(count, 'randomBits');
  const out = new Uint32Array(count);
  for (let i = 0, block = 0; i < count; i += 2, block++) {
    const [a, b] = threefry2x32(key.k0, key.k1, block, DOMAIN_BITS);
    out[i] = a;
    if (i + 1 < count) out[i + 1] = b;
  }
  return out;
}

function checkCount(count: number, op: string): void {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new ArgumentError({
      op,
      argument: 'count',
      expected: 'a non-negative integer',
      actual: String(count),
    });
  }
}

function checkRange(op: string, low: number, high: number, lowName: string, highName: string): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(high > low)) {
    throw new ArgumentError({
      op,
      argument: highName,
      expected: `finite bounds with ${highName} > ${lowName}`,
      actual: `${lowName} ${low}, ${highName} ${high}`,
    });
  }
}

/** Uniform doubles in [0, 1) with 53 random bits each (two words per value). */
function unitDoubles(key: Key, count: number): Float64Array {
  const bits = randomBits(key, 2 * count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = ((bits[2 * i]! >>> 5) * 67108864 + (bits[2 * i + 1]! >>> 6)) / 9007199254740992;
  }
  return out;
}

/**
 * `count` floats uniform in `[min, max)`: `min + (max - min) * u`, `u` with 24 random bits, so every
 * value is exact in float32.
 */
export function uniformValues(key: Key, count: number, min = 0, max = 1): Float32Array {
  checkRange('uniformValues', min, max, 'min', 'max');
  const bits = randomBits(key, count);
  const out = new Float32Array(count);
  const span = max - min;
  for (let i = 0; i < count; i++) out[i] = min + span * ((bits[i]! >>> 8) / 16777216);
  return out;
}

/**
 * `count` normal samples `mean + std * z` by the Box-Muller transform,
 * `z = sqrt(-2 ln u1) cos(2 pi u2)` (and `sin` for the pair's second), with `u1` in (0, 1].
 */
export function normalValues(key: Key, count: number, mean = 0, std = 1): Float32Array {
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) {
    throw new ArgumentError({
      op: 'normalValues',
      argument: 'std',
      expected: 'finite mean and std >= 0',
      actual: `mean ${mean}, std ${std}`,
    });
  }
  checkCount(count, 'normalValues');
  const pairs = Math.ceil(count / 2);
  const u = unitDoubles(key, 2 * pairs);
  const out = new Float32Array(count);
  for (let p = 0; p < pairs; p++) {
    const radius = Math.sqrt(-2 * Math.log(1 - u[2 * p]!));
    const angle = 2 * Math.PI * u[2 * p + 1]!;
    out[2 * p] = mean + std * radius * Math.cos(angle);
    if (2 * p + 1 < count) out[2 * p + 1] = mean + std * radius * Math.sin(angle);
  }
  return out;
}

/**
 * `count` integers uniform in `[low, high)`: `low + floor(u * (high - low))` with a 53-bit `u`
 * (bias below 2^-53 * range).
 */
export function randintValues(key: Key, count: number, low: number, high: number): Int32Array {
  checkRange('randintValues', low, high, 'low', 'high');
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < -(2 ** 31) || high > 2 ** 31) {
    throw new ArgumentError({
      op: 'randintValues',
      argument: 'low',
      expected: 'int32 bounds',
      actual: `low ${low}, high ${high}`,
    });
  }
  const u = unitDoubles(key, count);
  const out = new Int32Array(count);
  const span = high - low;
  for (let i = 0; i < count; i++) out[i] = low + Math.floor(u[i]! * span);
  return out;
}

/** `count` Bernoulli draws: 1 with probability `p`, else 0 (`u < p`, 24-bit `u`). */
export function bernoulliValues(key: Key, count: number, p = 0.5): Uint8Array {
  if (!(p >= 0 && p <= 1)) {
    throw new ArgumentError({
      op: 'bernoulliValues',
      argument: 'p',
      expected: 'a probability in [0, 1]',
      actual: String(p),
    });
  }
  const bits = randomBits(key, count);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bits[i]! >>> 8) / 16777216 < p ? 1 : 0;
  return out;
}

/** A uniformly random permutation of `0 .. n-1` (Fisher-Yates, driven by {@link randintValues}-style draws). */
export function permutationValues(key: Key, n: number): Int32Array {
  checkCount(n, 'permutationValues');
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const u = unitDoubles(key, n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i]! * (i + 1));
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
