import { ArgumentError, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy';

describe('accuracy', () => {
  it('counts hits over the total (hand case)', async () => {
    expect(await accuracy(Int32Array.of(0, 1, 2, 2), Int32Array.of(0, 1, 1, 2))).toBe(0.75);
  });

  it('accepts tensors and leaves them alive', async () => {
    const p = tf.tensor1d([3, 1, 0], 'int32');
    const l = tf.tensor1d([3, 2, 0], 'float32');
    const before = tf.memory().numTensors;
    expect(await accuracy(p, l)).toBeCloseTo(2 / 3, 12);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, l]);
  });

  it('names mismatched lengths and empty input', async () => {
    await expect(accuracy(Int32Array.of(0, 1), Int32Array.of(0))).rejects.toThrow(
      "accuracy: 'labels' has 1 entries but 'predictions' has 2; both must have the same length.",
    );
    await expect(accuracy(Int32Array.of(), Int32Array.of())).rejects.toSatisfy(ArgumentError.isInstance);
    await expect(accuracy(Int32Array.of(0, 1), Int32Array.of(0))).rejects.toSatisfy(ShapeError.isInstance);
    await expect(accuracy([0] as unknown as Int32Array, Int32Array.of(0))).rejects.toThrow(
      "accuracy: 'predictions' is [0] but expected an Int32Array or a rank-1 tf.Tensor.",
    );
  });
});
