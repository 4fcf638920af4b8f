import * as tf from '@tensorflow/tfjs-core';

/*
 * Spatial shifts of a `[N, H, W, C]` tensor are taken on rank-2 and rank-3 views (as @genoise/core's
 * `reflectPad` does), where they are row slices: rows of `[N, H, W*C]` for the H axis, column ranges of
 * `[N*H, W*C]` for the W axis (a shift by `k` pixels is a shift by `k*C` values). tfjs 4.22 wasm copies a rank-4 slice one pixel at a time
 * and pads rank 4 about 50x slower than rank 3, and the gradients of slices are pads.
 */

/** `x[:, first : first + count]` of a rank-2 or rank-3 tensor, along axis 1. */
function rows<T extends tf.Tensor2D | tf.Tensor3D>(x: T, first: number, count: number): T {
  return (
    x.rank === 2 ? tf.slice(x, [0, first], [-1, count]) : tf.slice(x, [0, first, 0], [-1, count, -1])
  ) as T;
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
