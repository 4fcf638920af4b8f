import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from './checks';
import { untracked } from './untracked';

/** `[1, H, W, 2]` float32 pixel coordinates (x, y) of every pixel centre. */
export function pixelGrid(height: number, width: number): tf.Tensor4D {
  const xs = tf.reshape(tf.range(0, width, 1, 'float32'), [1, 1, width, 1]);
  const ys = tf.reshape(tf.range(0, height, 1, 'float32'), [1, height, 1, 1]);
  return tf.concat([tf.tile(xs, [1, height, 1, 1]), tf.tile(ys, [1, 1, width, 1])], 3) as tf.Tensor4D;
}

/**
 * One axis of the bilinear sampler: the floor `i0` (untracked, float), the two corner weights with the
 * zeros-padding masks folded in (tracked, so gradients reach the coordinate), and the two corner indices
 * clamped into `[0, size - 1]` (int32, untracked).
 */
function axisTerms(
  t: tf.Tensor,
  size: number,
  padding: Padding,
): { w0: tf.Tensor; w1: tf.Tensor; i0: tf.Tensor; i1: tf.Tensor } {
  // NaN reads as "far outside": zeros gives 0, border the first pixel. The clip keeps the weights
  // finite for huge coordinates; beyond [-1, size] the zeros output is 0 and its gradient 0 anyway.
  const safe = tf.where(tf.isNaN(t), tf.fill(t.shape, -2), t);
  const c = padding === 'border' ? tf.clipByValue(safe, 0, size - 1) : tf.clipByValue(safe, -2, size + 1);
  const f0 = untracked(() => tf.floor(c));
  const f1 = tf.add(f0, 1);
  let w1 = tf.sub(c, f0);
  let w0 = tf.sub(1, w1);
  if (padding === 'zeros') {
    const inside = (f: tf.Tensor) =>
      tf.cast(tf.logicalAnd(tf.greaterEqual(f, 0), tf.lessEqual(f, size - 1)), 'float32');
    w0 = tf.mul(w0, inside(f0));
    w1 = tf.mul(w1, inside(f1));
  }
  const index = (f: tf.Tensor) => tf.cast(tf.clipByValue(f, 0, size - 1), 'int32');
  return { w0, w1, i0: index(f0), i1: index(f1) };
}

/**
 * Bilinear sampling of `image` `[B, H, W, C]` at pixel coordinates `coords` `[B, Ho, Wo, 2]` (x, y),
 * PyTorch `grid_sample` semantics in pixel units. No checks: the public ops validate first.
 *
 * `out = Σ_corners w_x w_y · image[corner]`: one gather of the four corners with untracked integer
 * indices, weighted by fractional weights computed from the coordinates, so gradients reach the image
 * through the gather (UnsortedSegmentSum) and the coordinates through the weights.
 */
export function sampleBilinear(image: tf.Tensor4D, coords: tf.Tensor4D, padding: Padding): tf.Tensor4D {
  const [batch, height, width, channels] = image.shape;
  const [, outHeight, outWidth] = coords.shape;
  const n = batch * outHeight * outWidth;
  const [x, y] = tf.split(coords, 2, 3) as [tf.Tensor4D, tf.Tensor4D]; // [B, Ho, Wo, 1] each
  const ax = axisTerms(x, width, padding);
  const ay = axisTerms(y, height, padding);
  // Integer arithmetic throughout (a plain number operand would promote the indices to float32).
  const base = tf.reshape(tf.range(0, batch * height * width, height * width, 'int32'), [batch, 1, 1, 1]);
  const stride = tf.scalar(width, 'int32');
  const row0 = tf.add(base, tf.mul(ay.i0, stride));
  const row1 = tf.add(base, tf.mul(ay.i1, stride));
  const indices = tf.reshape(
    tf.stack([tf.add(row0, ax.i0), tf.add(row0, ax.i1), tf.add(row1, ax.i0), tf.add(row1, ax.i1)]),
    [4 * n],
  );
  const weights = tf.reshape(
    tf.stack([tf.mul(ax.w0, ay.w0), tf.mul(ax.w1, ay.w0), tf.mul(ax.w0, ay.w1), tf.mul(ax.w1, ay.w1)]),
    [4, n, 1],
  );
  const values = tf.reshape(tf.gather(tf.reshape(image, [batch * height * width, channels]), indices), [
    4,
    n,
    channels,
  ]);
  return tf.reshape(tf.sum(tf.mul(weights, values), 0), [
    batch,
    outHeight,
    outWidth,
    channels,
  ]) as tf.Tensor4D;
}
