import { createKey, foldIn, normalValues, randintValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Seeded `[rows, dims]` standard-normal features, as a Float32Array and a tensor. */
export function seededFeatures(
  seed: number,
  rows: number,
  dims: number,
): { values: Float32Array; tensor: tf.Tensor2D } {
  const values = normalValues(createKey(seed), rows * dims);
  return { values, tensor: tf.tensor2d(values, [rows, dims]) };
}

/** Seeded labels in `[0, numClasses)`. */
export function seededLabels(seed: number, rows: number, numClasses: number): Int32Array {
  return randintValues(foldIn(createKey(seed), 7), rows, 0, numClasses);
}

/**
 * Gaussian clusters: class c is centred at `separation · e_c` (one axis per class, c < dims) with unit
 * noise, labels cycling 0..C-1.
 */
export function clusters(
  seed: number,
  rows: number,
  dims: number,
  numClasses: number,
  separation: number,
): { tensor: tf.Tensor2D; labels: Int32Array } {
  const values = normalValues(createKey(seed), rows * dims);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = i % numClasses;
    values[i * dims + labels[i]!]! += separation;
  }
  return { tensor: tf.tensor2d(values, [rows, dims]), labels };
}

/** Row-wise cosine similarity of two flat row-major matrices, in float64. */
export function naiveCosine(a: Float32Array, b: Float32Array, dims: number, i: number, j: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let t = 0; t < dims; t++) {
    const x = a[i * dims + t]!;
    const y = b[j * dims + t]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/** Indices of `scores` sorted by decreasing value, ties to the lower index. */
export function rankDescending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((p, q) => scores[q]! - scores[p]! || p - q);
}
