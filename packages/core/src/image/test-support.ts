// Test-only: seeded float32 maps and their values, for the image ops' naive reference loops.
import * as tf from '@tensorflow/tfjs-core';
import { createKey } from '../random/key';
import { uniformValues } from '../random/random-values';

/** A seeded float32 tensor uniform in `[min, max)` and the values it holds. */
export function seeded<R extends tf.Rank>(
  seed: number,
  shape: readonly number[],
  min = 0,
  max = 1,
): { tensor: tf.Tensor<R>; values: Float32Array } {
  const values = uniformValues(
    createKey(seed),
    shape.reduce((a, b) => a * b, 1),
    min,
    max,
  );
  return { tensor: tf.tensor<tf.Rank>(values, [...shape], 'float32') as tf.Tensor<R>, values };
}
