import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../errors/errors';
import type { Key } from './key';
import {
  bernoulliValues,
  normalValues,
  permutationValues,
  randintValues,
  uniformValues,
} from './random-values';

function sizeOf(shape: readonly number[], op: string): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ArgumentError({
      op,
      argument: 'shape',
      expected: 'an array of non-negative integers',
      actual: JSON.stringify(shape),
    });
  }
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A float32 tensor uniform in `[min, max)`. Same key, same values, on every backend.
 *
 * @param shape - output shape
 * @example
 * ```ts
 * const u = uniform(createKey(0), [2, 3]); // [2, 3] in [0, 1)
 * ```
 */
export function uniform(
  key: Key,
  shape: readonly number[],
  { min = 0, max = 1 }: { min?: number; max?: number } = {},
): tf.Tensor {
  return tf.tensor(uniformValues(key, sizeOf(shape, 'uniform'), min, max), [...shape], 'float32');
}

/** A float32 tensor of normal samples `mean + std * z` (Box-Muller). */
export function normal(
  key: Key,
  shape: readonly number[],
  { mean = 0, std = 1 }: { mean?: number; std?: number } = {},
): tf.Tensor {
  return tf.tensor(normalValues(key, sizeOf(shape, 'normal'), mean, std), [...shape], 'float32');
}

/** A float32 tensor of 0/1 draws, 1 with probability `p`. */
export function bernoulli(key: Key, shape: readonly number[], p = 0.5): tf.Tensor {
  return tf.tensor(
    Float32Array.from(bernoulliValues(key, sizeOf(shape, 'bernoulli'), p)),
    [...shape],
    'float32',
  );
}

/** An int32 tensor uniform over the integers in `[low, high)`. */
export function randint(key: Key, shape: readonly number[], low: number, high: number): tf.Tensor {
  return tf.tensor(randintValues(key, sizeOf(shape, 'randint'), low, high), [...shape], 'int32');
}

/** An int32 tensor `[n]` holding a uniformly random permutation of `0 .. n-1`. */
export function permutation(key: Key, n: number): tf.Tensor1D {
  return tf.tensor1d(permutationValues(key, n), 'int32');
}

/** `x` with its first axis shuffled by {@link permutation}: `gather(x, perm, 0)`. */
export function shuffle<T extends tf.Tensor>(key: Key, x: T): T {
  if (!(x instanceof tf.Tensor) || x.rank < 1) {
    throw new ArgumentError({
      op: 'shuffle',
      argument: 'x',
      expected: 'a tensor of rank >= 1',
      actual: x instanceof tf.Tensor ? 'a scalar' : typeof x,
    });
  }
  return tf.tidy('shuffle', () => tf.gather(x, permutation(key, x.shape[0]!), 0)) as T;
}
