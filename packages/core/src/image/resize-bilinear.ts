import * as tf from '@tensorflow/tfjs-core';
import { checkShape } from '../checks/check-shape';
import { checkInteger } from '../checks/check-values';
import { ArgumentError } from '../errors/errors';
import { defineOp } from '../ops/define-op';

const OP = 'resizeBilinear';

/** Source indices and weights of one axis: `out[o] = (1 - w[o]) in[lower[o]] + w[o] in[upper[o]]`. */
function axisWeights(
  inSize: number,
  outSize: number,
): { lower: Int32Array; upper: Int32Array; weight: Float32Array } {
  const scale = inSize / outSize;
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const weight = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    // Half-pixel centres (PyTorch align_corners=False, TF half_pixel_centers=True), clamped at the edges.
    const source = Math.max((o + 0.5) * scale - 0.5, 0);
    const floor = Math.min(Math.floor(source), inSize - 1);
    lower[o] = floor;
    upper[o] = Math.min(floor + 1, inSize - 1);
    weight[o] = source - floor;
  }
  return { lower, upper, weight };
}

function resizeAxis(x: tf.Tensor4D, axis: 1 | 2, outSize: number): tf.Tensor4D {
  const inSize = x.shape[axis];
  if (inSize === outSize) return x;
  const { lower, upper, weight } = axisWeights(inSize, outSize);
  const shape = [1, 1, 1, 1];
  shape[axis] = outSize;
  const w = tf.tensor(weight, shape, 'float32');
  const a = tf.gather(x, tf.tensor1d(lower, 'int32'), axis);
  const b = tf.gather(x, tf.tensor1d(upper, 'int32'), axis);
  return tf.add(a, tf.mul(tf.sub(b, a), w)) as tf.Tensor4D;
}

/**
 * Bilinear resize with half-pixel centres whose gradient is right.
 *
 * The values are those of PyTorch's `F.interpolate(x, size, mode='bilinear', align_corners=False)` and of
 * `tf.image.resizeBilinear(x, size, false, true)`: output pixel `o` reads the input at
 * `s = max((o + 0.5) in/out - 0.5, 0)`, `(1 - frac(s)) x[floor(s)] + frac(s) x[floor(s) + 1]` (clamped at
 * the last pixel), per axis. It is built from two constant-index gathers per axis, because tfjs 4.22's
 * `ResizeBilinearGrad` ignores `halfPixelCenters` (cpu and wasm return the gradient of the legacy
 * corner-at-0 resize) and, on the cpu backend, returns a gradient of transposed shape for non-square
 * maps. Downsampling by more than 2 reads only the two nearest pixels per axis (no antialiasing), as
 * both references do.
 *
 * @param x - `[B, h, w, C]`, float32
 * @param size - `[height, width]` of the output, positive integers
 * @returns `[B, height, width, C]`; `x` itself when the size is unchanged
 * @throws ShapeError when `x` is not rank 4; ArgumentError when `size` is not two positive integers
 * @example
 * ```ts
 * const full = resizeBilinear(coarseDisparity, [height, width]); // Monodepth2's full-resolution scales
 * ```
 * @see https://pytorch.org/docs/stable/generated/torch.nn.functional.interpolate.html
 */
export const resizeBilinear = defineOp(OP, (x: tf.Tensor4D, size: readonly [number, number]): tf.Tensor4D => {
  checkShape(x, ['B', 'H', 'W', 'C'], {
    op: OP,
    arg: 'x',
    hint: 'Maps are batched [B,H,W,C]; add a batch dimension with asBatch(x) or x.expandDims(0).',
  });
  if (!Array.isArray(size) || size.length !== 2) {
    throw new ArgumentError({
      op: OP,
      argument: 'size',
      expected: '[height, width]',
      actual: Array.isArray(size) ? `an array of ${size.length}` : String(size),
    });
  }
  const [height, width] = size;
  checkInteger(height, { op: OP, arg: 'size[0]', min: 1 });
  checkInteger(width, { op: OP, arg: 'size[1]', min: 1 });
  return resizeAxis(resizeAxis(x, 1, height), 2, width);
});
