import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seeded, seededTensor } from '../../test/helpers';
import { flowWarp } from './flow-warp';

describe('flowWarp', () => {
  it('reconstructs I1 from I2 when I1(x) = I2(x + flow(x)): one-pixel and half-pixel shifts', async () => {
    // I2 is I1 moved one pixel right and one down, so flow = (1, 1) everywhere.
    const i1 = tf.tensor4d([1, 2, 0, 3, 4, 0, 0, 0, 0], [1, 3, 3, 1]);
    const i2 = tf.tensor4d([0, 0, 0, 0, 1, 2, 0, 3, 4], [1, 3, 3, 1]);
    const flow = tf.ones([1, 3, 3, 2]) as tf.Tensor4D;
    const out = flowWarp(i2, flow);
    await expectTensorClose(out, i1);
    const halfX = tf.tensor4d(
      [0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0],
      [1, 3, 3, 2],
    );
    const half = flowWarp(i2, halfX, { padding: 'border' });
    await expectTensorClose(half, [
      [
        [[0], [0], [0]],
        [[0.5], [1.5], [2]],
        [[1.5], [3.5], [4]],
      ],
    ]);
    tf.dispose([i1, i2, flow, out, halfX, half]);
  });

  it('is differentiable w.r.t. image and flow (finite differences)', async () => {
    const image = seededTensor<tf.Rank.R4>(1, [1, 3, 4, 2]);
    const frac = seeded(2, 24, 0.2, 0.8);
    const whole = seeded(3, 24, -1, 2);
    const flow = tf.tensor4d(
      whole.map((w, i) => Math.floor(w) + frac[i]!),
      [1, 3, 4, 2],
    );
    const weights = seededTensor<tf.Rank.R4>(4, [1, 3, 4, 2], -1, 1);
    await gradCheck(
      (im, f) => tf.sum(tf.mul(flowWarp(im as tf.Tensor4D, f as tf.Tensor4D), weights)),
      [image, flow],
      {
        eps: 1e-2,
      },
    );
    tf.dispose([image, flow, weights]);
  });

  it('does not leak and validates', async () => {
    const image = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const flow = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    await expectNoLeaks(() => flowWarp(image, flow));
    expect(() => flowWarp(image, tf.zeros([1, 2, 2, 3]) as tf.Tensor4D)).toThrow(
      "flowWarp: 'flow' has shape [1,2,2,3] but expected [B,H,W,2].",
    );
    expect(() => flowWarp(image, tf.zeros([1, 2, 3, 2]) as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => flowWarp(tf.zeros([2, 2, 3]) as unknown as tf.Tensor4D, flow)).toThrow(
      /add a batch dimension/,
    );
    tf.dispose([image, flow]);
  });
});
