import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { forwardBackwardOcclusion } from './forward-backward-occlusion';

/** A `[1, H, W, 2]` flow with the same (u, v) everywhere except `u` overridden per column. */
function flowField(height: number, width: number, u: (x: number) => number, v = 0): tf.Tensor4D {
  const values: number[] = [];
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values.push(u(x), v);
  return tf.tensor4d(values, [1, height, width, 2]);
}

describe('forwardBackwardOcclusion', () => {
  it('finds no occlusion for consistent flows (w_b = -w_f), borders included', async () => {
    const fw = flowField(3, 5, () => 1, 0.5);
    const bw = flowField(3, 5, () => -1, -0.5);
    const mask = forwardBackwardOcclusion(fw, bw);
    expect(mask.shape).toEqual([1, 3, 5, 1]);
    await expectTensorClose(mask, tf.zeros([1, 3, 5, 1]));
    tf.dispose([fw, bw, mask]);
  });

  it('marks pixels whose round trip does not come back (1 = occluded)', async () => {
    // w_f = (1, 0): pixel x lands on x + 1. The backward flow is wrong (+3) at columns 3 and 4, so
    // pixels 2 and 3 land there: |1 + 3|^2 = 16 > 0.01 (1 + 9) + 0.5. At column 1 it is off by 0.5,
    // |1 - 1.5|^2 = 0.25 < 0.01 (1 + 2.25) + 0.5 = 0.5325: still visible.
    const fw = flowField(2, 6, () => 1);
    const bw = flowField(2, 6, (x) => (x >= 3 && x <= 4 ? 3 : x === 1 ? -1.5 : -1));
    const mask = forwardBackwardOcclusion(fw, bw);
    const row = [[0], [0], [1], [1], [0], [0]];
    await expectTensorClose(mask, [[row, row]]);
    // alpha2 = 20 tolerates the inconsistency.
    const lenient = forwardBackwardOcclusion(fw, bw, { alpha1: 0.01, alpha2: 20 });
    await expectTensorClose(lenient, tf.zeros([1, 2, 6, 1]));
    // The mask is constant to the gradient: d sum(mask * f) / df = mask (and no comparison op is taped).
    const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(forwardBackwardOcclusion(f as tf.Tensor4D, bw), f)))(
      fw,
    );
    await expectTensorClose(g, tf.tile(mask, [1, 1, 1, 2]));
    tf.dispose([fw, bw, mask, lenient, g]);
  });

  it('does not leak and validates', async () => {
    const fw = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    await expectNoLeaks(() => forwardBackwardOcclusion(fw, fw));
    expect(() => forwardBackwardOcclusion(fw, tf.zeros([2, 2, 2, 2]) as tf.Tensor4D)).toThrow(
      "forwardBackwardOcclusion: 'flowBw' has shape [2,2,2,2] but 'flowFw' has [1,2,2,2]; both must be [B,H,W,2] with equal sizes.",
    );
    expect(() => forwardBackwardOcclusion(fw, fw, { alpha1: -1 })).toThrow(ArgumentError);
    fw.dispose();
  });
});
