// Test-only helpers: seeded data and naive float64 reference loops.
import { createKey, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** `size` seeded uniform values in `[low, high)`. */
export function seeded(seed: number, size: number, low = 0, high = 1): Float32Array {
  return uniformValues(createKey(seed), size, low, high);
}

/** A seeded float32 tensor of `shape`, uniform in `[low, high)`. */
export function seededTensor<R extends tf.Rank>(
  seed: number,
  shape: number[],
  low = 0,
  high = 1,
): tf.Tensor<R> {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seeded(seed, size, low, high), shape, 'float32') as unknown as tf.Tensor<R>;
}

/**
 * PyTorch `grid_sample` (bilinear) in pixel units, as a plain loop: image `[B,H,W,C]`, coords
 * `[B,Ho,Wo,2]`, both row-major arrays.
 */
export function naiveSample(
  image: ArrayLike<number>,
  [B, H, W, C]: readonly number[],
  coords: ArrayLike<number>,
  [Ho, Wo]: readonly number[],
  padding: 'zeros' | 'border',
): Float64Array {
  const out = new Float64Array(B! * Ho! * Wo! * C!);
  const read = (b: number, y: number, x: number, c: number): number =>
    x < 0 || x > W! - 1 || y < 0 || y > H! - 1 ? 0 : (image[((b * H! + y) * W! + x) * C! + c] as number);
  for (let b = 0; b < B!; b++)
    for (let i = 0; i < Ho!; i++)
      for (let j = 0; j < Wo!; j++) {
        const k = ((b * Ho! + i) * Wo! + j) * 2;
        let x = coords[k] as number;
        let y = coords[k + 1] as number;
        if (padding === 'border') {
          x = Math.min(Math.max(x, 0), W! - 1);
          y = Math.min(Math.max(y, 0), H! - 1);
        }
        const x0 = Math.floor(x);
        const y0 = Math.floor(y);
        const a = x - x0;
        const e = y - y0;
        for (let c = 0; c < C!; c++) {
          out[((b * Ho! + i) * Wo! + j) * C! + c] =
            (1 - a) * (1 - e) * read(b, y0, x0, c) +
            a * (1 - e) * read(b, y0, x0 + 1, c) +
            (1 - a) * e * read(b, y0 + 1, x0, c) +
            a * e * read(b, y0 + 1, x0 + 1, c);
        }
      }
  return out;
}

/** Asserts every element is finite (no NaN, no ±Infinity). */
export async function expectFinite(...tensors: tf.Tensor[]): Promise<void> {
  for (const t of tensors) {
    const values = Array.from(await t.data());
    expect(values.filter((v) => !Number.isFinite(v))).toEqual([]);
  }
}

/** A `[B, 3, 3]` intrinsics tensor from `fx, fy, cx, cy`, repeated `batch` times. */
export function intrinsics(batch: number, fx: number, fy: number, cx: number, cy: number): tf.Tensor3D {
  const k = [fx, 0, cx, 0, fy, cy, 0, 0, 1];
  return tf.tensor3d(Array.from({ length: batch }, () => k).flat(), [batch, 3, 3]);
}

/** A `[B, 4, 4]` pose `[I | t]` per batch entry. */
export function translation(ts: readonly (readonly [number, number, number])[]): tf.Tensor3D {
  return tf.tensor3d(
    ts.flatMap(([x, y, z]) => [1, 0, 0, x, 0, 1, 0, y, 0, 0, 1, z, 0, 0, 0, 1]),
    [ts.length, 4, 4],
  );
}
