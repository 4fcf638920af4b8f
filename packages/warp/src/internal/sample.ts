import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from './checks';
import { untracked } from './untracked';

/** `[1, H, W, 2]` float32 pixel coordinates (x, y) of every pixel centre. */
export function pixelGrid(height: number, width: number): tf.Tensor4D {
  const xs = tf.reshape(tf.range(0, width, 1, 'float32'), [1, 1, width, 1]);
  const ys = tf.reshape(tf.range(0, height, 1, 'float32'), [1, height, 1, 1]);
  return tf.concat([tf.tile(xs, [1, height, 1, 1]), tf.tile(ys, [1, 1, width, 1])], 3) as tf.Tensor4D;
}

/** Float32 represents every integer up to 2^24 exactly: flat indices below it are built in float32. */
const EXACT_FLOAT_INTEGERS = 2 ** 24;

/**
 * One axis of the bilinear sampler on a flat `[n]` coordinate: the two corner weights with the
 * zeros-padding masks folded in (tracked, so gradients reach the coordinate) and the two corner
 * positions clamped into `[0, size - 1]` (untracked floats).
 */
function axisTerms(
  t: tf.Tensor1D,
  size: number,
  padding: Padding,
): { w0: tf.Tensor1D; w1: tf.Tensor1D; i0: tf.Tensor1D; i1: tf.Tensor1D } {
  // NaN reads as "far outside": zeros gives 0, border the first pixel. The clip keeps the weights
  // finite for huge coordinates; beyond [-1, size] the zeros output is 0 and its gradient 0 anyway.
  const safe = tf.where(tf.isNaN(t), tf.fill(t.shape, -2), t);
  const c = padding === 'border' ? tf.clipByValue(safe, 0, size - 1) : tf.clipByValue(safe, -2, size + 1);
  const f0 = untracked(() => tf.floor(c));
  const f1 = tf.add(f0, 1);
  const i0 = tf.clipByValue(f0, 0, size - 1) as tf.Tensor1D;
  const i1 = tf.clipByValue(f1, 0, size - 1) as tf.Tensor1D;
  let w1 = tf.sub(c, f0);
  let w0 = tf.sub(1, w1);
  if (padding === 'zeros') {
    // 1 where the integer corner is inside, 0 outside: |f - clip(f)| is 0 or >= 1. Arithmetic rather
    // than comparisons, which are several times slower on wasm.
    const inside = (f: tf.Tensor, i: tf.Tensor) => tf.sub(1, tf.minimum(tf.abs(tf.sub(f, i)), 1));
    w0 = tf.mul(w0, inside(f0, i0));
    w1 = tf.mul(w1, inside(f1, i1));
  }
  return { w0: w0 as tf.Tensor1D, w1: w1 as tf.Tensor1D, i0, i1 };
}

/**
 * `params[indices[i, 0]]` for `params` `[M, C]` and int32 `indices` `[m, 1]`, differentiable w.r.t.
 * `params` only: GatherNd forward, ScatterNd (which sums duplicates) backward. `indices` is not an
 * input of the op, so the tape never asks for its gradient. On wasm GatherNd is about 5x faster than
 * GatherV2, whose kernel checks every index in JavaScript.
 */
function gatherRows(params: tf.Tensor2D, indices: tf.Tensor2D): tf.Tensor2D {
  const run = tf.customGrad((p, save) => {
    // Kept by the engine for the backward pass (the caller's tidy frees the original).
    (save as tf.GradSaveFunc)([indices]);
    const shape = (p as tf.Tensor).shape;
    return {
      value: tf.gatherND(p as tf.Tensor, indices),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0]!, dy, shape),
    };
  });
  return run(params) as tf.Tensor2D;
}

/**
 * Bilinear sampling of `image` `[B, H, W, C]` at pixel coordinates `coords` `[B, Ho, Wo, 2]` (x, y),
 * PyTorch `grid_sample` semantics in pixel units. No checks: the public ops validate first.
 *
 * `out = Σ_corners w_x w_y · image[corner]`: one gather of the four corners with integer indices the
 * gradient tape does not see, weighted by fractional weights computed from the coordinates, so
 * gradients reach the image through the gather (a scatter-add) and the coordinates through the weights.
 */
export function sampleBilinear(image: tf.Tensor4D, coords: tf.Tensor4D, padding: Padding): tf.Tensor4D {
  const [batch, height, width, channels] = image.shape;
  const [, outHeight, outWidth] = coords.shape;
  const perImage = outHeight * outWidth;
  const n = batch * perImage;
  // [n, 2] -> [2, n] -> x, y: a transpose and two contiguous slices (a split of the last axis is far
  // slower on wasm).
  const [x, y] = tf.unstack(tf.transpose(tf.reshape(coords, [n, 2]))) as [tf.Tensor1D, tf.Tensor1D];
  const ax = axisTerms(x, width, padding);
  const ay = axisTerms(y, height, padding);
  const rows = batch * height * width;
  const indices = untracked(() => {
    // Flat row index b H W + y W + x of each corner, [4n]; float32 while exact, int32 beyond.
    const dtype = rows < EXACT_FLOAT_INTEGERS ? 'float32' : 'int32';
    const as = (t: tf.Tensor) => (dtype === 'int32' ? tf.cast(t, 'int32') : t);
    // b H W for each output pixel, written directly (tile is slow on wasm).
    const offsets = new Float32Array(n);
    for (let b = 0; b < batch; b++) offsets.fill(b * height * width, b * perImage, (b + 1) * perImage);
    const base = as(tf.tensor1d(offsets, 'float32'));
    const stride = tf.scalar(width, dtype);
    const row0 = tf.add(base, tf.mul(as(ay.i0), stride));
    const row1 = tf.add(base, tf.mul(as(ay.i1), stride));
    const [x0, x1] = [as(ax.i0), as(ax.i1)];
    const flat = tf.concat([tf.add(row0, x0), tf.add(row0, x1), tf.add(row1, x0), tf.add(row1, x1)]);
    return tf.reshape(tf.cast(flat, 'int32'), [4 * n, 1]) as tf.Tensor2D;
  });
  const weights = tf.concat([
    tf.mul(ax.w0, ay.w0),
    tf.mul(ax.w1, ay.w0),
    tf.mul(ax.w0, ay.w1),
    tf.mul(ax.w1, ay.w1),
  ]); // [4n]
  const values = gatherRows(tf.reshape(image, [rows, channels]), indices); // [4n, C]
  // Weights repeated over the channels by an outer product with ones (a broadcasting multiply is
  // several times slower on wasm), then one same-shape multiply and a sum over the four corners.
  const repeated =
    channels === 1
      ? tf.reshape(weights, [4 * n, 1])
      : tf.matMul(tf.reshape(weights, [4 * n, 1]), tf.ones([1, channels]));
  const weighted = tf.reshape(tf.mul(repeated, values), [4, n * channels]);
  return tf.reshape(tf.sum(weighted, 0), [batch, outHeight, outWidth, channels]) as tf.Tensor4D;
}
