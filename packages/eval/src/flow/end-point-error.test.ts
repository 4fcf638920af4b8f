import { createKey, DTypeError, normalValues, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { endPointError } from './end-point-error';

describe('endPointError', () => {
  it('is the Euclidean length of the difference, per pixel', async () => {
    const pred = tf.tensor4d([3, 4, 1, 1, -2, 0, 0.5, 0.5], [1, 2, 2, 2]);
    const gt = tf.tensor4d([0, 0, 1, 1, 1, 4, 0, 0], [1, 2, 2, 2]);
    // (3,4) -> 5; equal -> 0; (-3,-4) -> 5; (0.5, 0.5) -> √0.5
    await expectTensorClose(endPointError(pred, gt), [
      [
        [[5], [0]],
        [[5], [Math.SQRT1_2]],
      ],
    ]);
    tf.dispose([pred, gt]);
  });

  it('matches a naive loop on random flows and leaks nothing', async () => {
    const p = normalValues(createKey(1), 2 * 3 * 5 * 2, 0, 4);
    const g = normalValues(createKey(2), 2 * 3 * 5 * 2, 0, 4);
    const expected = Float32Array.from({ length: 30 }, (_, i) =>
      Math.hypot(p[2 * i]! - g[2 * i]!, p[2 * i + 1]! - g[2 * i + 1]!),
    );
    const pred = tf.tensor4d(p, [2, 3, 5, 2]);
    const gt = tf.tensor4d(g, [2, 3, 5, 2]);
    await expectTensorClose(endPointError(pred, gt), expected);
    expect(await expectNoLeaks(() => endPointError(pred, gt))).toBe(1);
    tf.dispose([pred, gt]);
  });

  it('names bad arguments', () => {
    const a = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    const b = tf.zeros([1, 2, 2, 3]);
    expect(() => endPointError(a, b)).toThrow(ShapeError);
    expect(() => endPointError(a, b)).toThrow(
      "endPointError: 'gt' has shape [1,2,2,3] but expected [B,H,W,2].",
    );
    const c = tf.zeros([1, 2, 2, 2], 'int32');
    expect(() => endPointError(c, a)).toThrow(DTypeError);
    tf.dispose([a, b, c]);
  });
});
