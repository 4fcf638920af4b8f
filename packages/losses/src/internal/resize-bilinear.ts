import * as tf from '@tensorflow/tfjs-core';

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
 * Bilinear resize of `[B, h, w, C]` to `[B, height, width, C]` with half-pixel centres (PyTorch's
 * `F.interpolate(mode='bilinear', align_corners=False)`, the same values as
 * `tf.image.resizeBilinear(x, size, false, true)`), built from two constant-index gathers so the gradient
 * is right: tfjs 4.22's `ResizeBilinearGrad` (cpu and wasm) ignores `halfPixelCenters` and returns the
 * gradient of the legacy corner-aligned-at-0 resize instead.
 */
export function resizeBilinear(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return resizeAxis(resizeAxis(x, 1, height), 2, width);
}
