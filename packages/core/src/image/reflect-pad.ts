import * as tf from '@tensorflow/tfjs-core';
import { checkShape } from '../checks/check-shape';
import { checkInteger } from '../checks/check-values';
import { ShapeError } from '../errors/errors';
import { defineOp } from '../ops/define-op';

const OP = 'reflectPad';

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
 * flattened `W*C` axis): slices and one concat.
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
 * Reflection padding of the two spatial axes of a batch of maps (PyTorch's `ReflectionPad2d`, TF's
 * `mirror_pad(mode='REFLECT')`): the border pixel is not repeated, so a row `[1 2 3 4]` padded by 2
 * reads `[3 2 | 1 2 3 4 | 3 2]`.
 *
 * `out[n, i, j, c] = x[n, reflect(i - rH, H), reflect(j - rW, W), c]` with
 * `reflect(k, S) = |k|` for `k < 0` and `2(S-1) - k` for `k >= S`.
 *
 * Built from slices and one concat per axis, so its gradient is right: tfjs 4.22's `tf.mirrorPad`
 * gradient drops the reflected border's contributions (wrong by tens of percent, checked against finite
 * differences), which made an SSIM built on it train on wrong gradients.
 *
 * @param x - `[B, H, W, C]`
 * @param radius - rows and columns added on each side: one number for both axes, or
 *   `[rows, columns]` (either may be 0); each at most `size - 1` of its axis
 * @returns `[B, H + 2 rows, W + 2 columns, C]`; `x` itself when both radii are 0
 * @throws ShapeError when `x` is not rank 4 or a radius reaches `H` or `W`
 * @throws ArgumentError when a radius is not an integer >= 0
 * @example
 * ```ts
 * const padded = reflectPad(images, 1); // [B, H+2, W+2, C], e.g. before a 3x3 SSIM window
 * const widened = reflectPad(images, [0, 3]); // columns only, for a horizontal 7-tap filter
 * ```
 * @see https://pytorch.org/docs/stable/generated/torch.nn.ReflectionPad2d.html
 */
export const reflectPad = defineOp(
  OP,
  (x: tf.Tensor4D, radius: number | readonly [number, number]): tf.Tensor4D => {
    const dims = checkShape(x, ['B', 'H', 'W', 'C'], {
      op: OP,
      arg: 'x',
      hint: 'Maps are batched [B,H,W,C]; add a batch dimension with asBatch(x) or x.expandDims(0).',
    });
    const [padRows, padColumns] = typeof radius === 'number' ? [radius, radius] : (radius ?? []);
    const radiusArg = typeof radius === 'number' ? 'radius' : 'radius[0]';
    checkInteger(padRows, { op: OP, arg: radiusArg, min: 0 });
    checkInteger(padColumns, { op: OP, arg: typeof radius === 'number' ? 'radius' : 'radius[1]', min: 0 });
    const [n, height, width, channels] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    if (padRows > height - 1 || padColumns > width - 1) {
      throw new ShapeError({
        op: OP,
        argument: 'x',
        expected: `H > ${padRows} and W > ${padColumns}`,
        actual: `[${x.shape.join(',')}]`,
        message: `${OP}: 'x' has shape [${x.shape.join(',')}] but a reflection by [${padRows}, ${padColumns}] needs H > ${padRows} and W > ${padColumns} (the border is not repeated).`,
      });
    }
    if (padRows === 0 && padColumns === 0) return x;
    const paddedHeight = height + 2 * padRows;
    const byRows =
      padRows === 0
        ? x
        : reflectAxis1(tf.reshape(x, [n, height, width * channels]) as tf.Tensor3D, padRows, 1);
    if (padColumns === 0) return tf.reshape(byRows, [n, paddedHeight, width, channels]);
    const byColumns = reflectAxis1(
      tf.reshape(byRows, [n * paddedHeight, width * channels]) as tf.Tensor2D,
      padColumns,
      channels,
    );
    return tf.reshape(byColumns, [n, paddedHeight, width + 2 * padColumns, channels]);
  },
);
