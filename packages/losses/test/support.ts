// Test-only helpers: seeded data and float64 building blocks for the naive reference loops.
import { createKey, normalValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** `rows * cols` seeded normal samples `N(mean, std²)` as float32 values, from core's key-driven RNG. */
export function seededValues(seed: number, rows: number, cols: number, std = 1, mean = 0): Float32Array {
  return normalValues(createKey(seed), rows * cols, mean, std);
}

/** A seeded `[rows, cols]` float32 tensor and the values it holds (for the reference loop). */
export function seededMatrix(
  seed: number,
  rows: number,
  cols: number,
  std = 1,
  mean = 0,
): { tensor: tf.Tensor2D; values: Float32Array } {
  const values = seededValues(seed, rows, cols, std, mean);
  return { tensor: tf.tensor2d(values, [rows, cols], 'float32'), values };
}

/** Row `r` of a row-major `[rows, cols]` array, as float64 numbers. */
export function row(values: ArrayLike<number>, r: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) out.push(values[r * cols + c] as number);
  return out;
}

/** All rows of a row-major `[rows, cols]` array. */
export function rows(values: ArrayLike<number>, count: number, cols: number): number[][] {
  return Array.from({ length: count }, (_, r) => row(values, r, cols));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** `v / max(||v||, 1e-8)`, the library's normalisation. */
export function unit(v: readonly number[]): number[] {
  const norm = Math.max(Math.sqrt(dot(v, v)), 1e-8);
  return v.map((x) => x / norm);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  return dot(unit(a), unit(b));
}

/** `log Σ exp(x)`, max-subtracted. */
export function logSumExp(xs: readonly number[]): number {
  const m = Math.max(...xs);
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The single value of a scalar tensor (tests only read data; libraries never do). */
export async function scalarOf(t: tf.Tensor): Promise<number> {
  expect(t.shape).toEqual([]);
  return (await t.data())[0] as number;
}

/** Asserts every element is finite (no NaN, no ±Infinity). */
export async function expectFinite(t: tf.Tensor | readonly tf.Tensor[]): Promise<void> {
  for (const x of Array.isArray(t) ? t : [t as tf.Tensor]) {
    const values = Array.from(await x.data());
    expect(
      values.every(Number.isFinite),
      `non-finite values: ${values.filter((v) => !Number.isFinite(v))}`,
    ).toBe(true);
  }
}

/** Gradients of the sum of `fn` with respect to each input; the caller disposes them. */
export function gradientsOf(
  fn: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly tf.Tensor[],
): tf.Tensor[] {
  return tf.grads((...xs: tf.Tensor[]) => tf.sum(fn(...xs)) as tf.Scalar)([...inputs]);
}

/** Asserts that `t` is exactly zero everywhere (not merely small). */
export async function expectExactlyZero(t: tf.Tensor): Promise<void> {
  const values = Array.from(await t.data());
  expect(values.every((v) => v === 0)).toBe(true);
}

/** One-hot rows `e_index` of length `dim`, as a row-major array. */
export function oneHots(indices: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(indices.length * dim);
  indices.forEach((index, r) => {
    out[r * dim + index] = 1;
  });
  return out;
}
