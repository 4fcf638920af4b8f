import * as tf from '@tensorflow/tfjs-core';

/**
 * Reflection padding by `radius` on both sides of `axis` (1 or 2 of a rank-4 tensor), without the edge
 * pixel repeated (`[3 2 | 1 2 3 4 | 3 2]`, PyTorch's `ReflectionPad2d`), built from slices and one concat
 * so its gradient is right: tfjs 4.22's `tf.mirrorPad` gradient drops the reflected border's
 * contributions. Requires `radius <= size - 1`. The two border strips are sliced first and the single
 * rows or columns taken from them (on wasm every slice reads its whole input).
 */
export function reflectPadAxis(x: tf.Tensor4D, axis: 1 | 2, radius: number): tf.Tensor4D {
  if (radius === 0) return x;
  const size = x.shape[axis];
  const take = (t: tf.Tensor4D, first: number, count: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const extent = [...t.shape] as number[];
    begin[axis] = first;
    extent[axis] = count;
    return tf.slice(t, begin, extent);
  };
  const head = take(x, 1, radius); // x[1 .. radius]
  const tail = take(x, size - 1 - radius, radius); // x[size-1-radius .. size-2]
  const before: tf.Tensor4D[] = [];
  const after: tf.Tensor4D[] = [];
  for (let i = radius - 1; i >= 0; i--) before.push(take(head, i, 1));
  for (let i = radius - 1; i >= 0; i--) after.push(take(tail, i, 1));
  return tf.concat([...before, x, ...after], axis);
}

/** Reflection padding of the two spatial axes of `[B, H, W, C]` by `radius`: `[B, H+2r, W+2r, C]`. */
export function reflectPad2d(x: tf.Tensor4D, radius: number): tf.Tensor4D {
  return reflectPadAxis(reflectPadAxis(x, 1, radius), 2, radius);
}
