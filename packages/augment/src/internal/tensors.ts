import * as tf from '@tensorflow/tfjs-core';

/** Per-sample values as a `[B, 1, 1, 1]` float32 tensor, to broadcast against a batch. */
export function perSample(values: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1], 'float32');
}

/** True when every entry is 1. */
export const allApplied = (applied: Uint8Array): boolean => applied.every((a) => a === 1);
/** True when no entry is 1. */
export const noneApplied = (applied: Uint8Array): boolean => applied.every((a) => a !== 1);

/**
 * `applied ? y : x` per sample, as `x * (1 - m) + y * m` with `m` in {0, 1} `[B,1,1,1]`: exact at both
 * ends, and much faster than `tf.where` with a broadcast condition on the wasm backend.
 */
export function selectSamples(x: tf.Tensor4D, y: tf.Tensor4D, applied: Uint8Array): tf.Tensor4D {
  if (allApplied(applied)) return y === x ? tf.clone(y) : y;
  if (noneApplied(applied)) return tf.clone(x);
  const m = perSample(applied);
  return tf.add(tf.mul(x, tf.sub(1, m)), tf.mul(y, m));
}
