import * as tf from '@tensorflow/tfjs-core';

/*
 * Spatial shifts of a `[N, H, W, C]` tensor are taken on rank-2 and rank-3 views, where they are row
 * slices: rows of `[N, H, W*C]` for the H axis, column ranges of `[N*H, W*C]` for the W axis (a shift
 * by `k` pixels is a shift by `k*C` values). tfjs 4.22 wasm copies a rank-4 slice one pixel at a time
 * and pads rank 4 about 50x slower than rank 3, and the gradients of slices are pads.
 */

/** `x[:, first : first + count]` of a rank-2 or rank-3 tensor, along axis 1. */
function rows<T extends tf.Tensor2D | tf.Tensor3D>(x: T, first: number, count: number): T {
  return (
    x.rank === 2 ? tf.slice(x, [0, first], [-1, count]) : tf.slice(x, [0, first, 0], [-1, count, -1])
  ) as T;
}

/**
 * Reflection padding by `radius` on both sides of axis 1 of a rank-2 or rank-3 tensor, without the edge
 * repeated (`[3 2 | 1 2 3 4 | 3 2]`), in units of `unit` entries (`unit = C` pads whole pixels of a
 * flattened `W*C` axis). Built from slices and one concat, so its gradient is right (tfjs 4.22's
 * `tf.mirrorPad` gradient drops the reflected border's contributions).
 */
function reflectAxis1<T extends tf.Tensor2D | tf.Tensor3D>(x: T, radius: number, unit: number): T {
  const size = x.shape[1] / unit;
  const before: T[] = [];
  const after: T[] = [];
  for (let i = radius; i >= 1; i--) before.push(rows(x, i * unit, unit)); // x[radius], ..., x[1]
  for (let i = 1; i <= radius; i++) after.push(rows(x, (size - 1 - i) * unit, unit)); // x[size-2], ...
  return tf.concat([...before, x, ...after], 1) as T;
}

/**
 * Reflection padding of the two spatial axes of `[N, H, W, C]` by `radius` (PyTorch's
 * `ReflectionPad2d`): `[N, H+2r, W+2r, C]`. Requires `radius <= H - 1` and `radius <= W - 1`.
 */
export function reflectPad2d(x: tf.Tensor4D, radius: number): tf.Tensor4D {
  if (radius === 0) return x;
  const [n, height, width, channels] = x.shape;
  const byRows = reflectAxis1(tf.reshape(x, [n, height, width * channels]) as tf.Tensor3D, radius, 1);
  const paddedHeight = height + 2 * radius;
  const byColumns = reflectAxis1(
    tf.reshape(byRows, [n * paddedHeight, width * channels]) as tf.Tensor2D,
    radius,
    channels,
  );
  return tf.reshape(byColumns, [n, paddedHeight, width + 2 * radius, channels]);
}

/**
 * The 3x3 box mean of `[N, H+2, W+2, C]` over its valid positions, `[N, H, W, C]` (an average pool
 * with `'valid'` padding), as separable sums of shifted slices: faster than tfjs 4.22 wasm's
 * `AvgPoolGrad` in the backward pass (its slowest kernel in `ssimLoss`).
 */
export function boxMean3(padded: tf.Tensor4D): tf.Tensor4D {
  const [n, paddedHeight, paddedWidth, channels] = padded.shape;
  const height = paddedHeight - 2;
  const width = paddedWidth - 2;
  const view = tf.reshape(padded, [n, paddedHeight, paddedWidth * channels]) as tf.Tensor3D;
  const vertical = tf.addN([rows(view, 0, height), rows(view, 1, height), rows(view, 2, height)]);
  const flat = tf.reshape(vertical, [n * height, paddedWidth * channels]) as tf.Tensor2D;
  const span = width * channels;
  const horizontal = tf.addN([
    rows(flat, 0, span),
    rows(flat, channels, span),
    rows(flat, 2 * channels, span),
  ]);
  return tf.reshape(tf.div(horizontal, 9), [n, height, width, channels]);
}
