import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { reflectPad } from './reflect-pad';
import { seeded } from './test-support';

const shape = [2, 4, 5, 3] as const;
const x = seeded<tf.Rank.R4>(111, shape);

afterAll(() => x.tensor.dispose());

/** The naive loop: `out[n,i,j,c] = x[n, reflect(i - rH, H), reflect(j - rW, W), c]`. */
function naiveReflectPad(
  values: Float32Array,
  [b, h, w, c]: readonly [number, number, number, number],
  rH: number,
  rW: number,
) {
  const reflect = (k: number, size: number) => (k < 0 ? -k : k >= size ? 2 * (size - 1) - k : k);
  const outH = h + 2 * rH;
  const outW = w + 2 * rW;
  const out = new Float32Array(b * outH * outW * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let ch = 0; ch < c; ch++) {
          const si = reflect(i - rH, h);
          const sj = reflect(j - rW, w);
          out[((n * outH + i) * outW + j) * c + ch] = values[((n * h + si) * w + sj) * c + ch]!;
        }
  return tf.tensor4d(out, [b, outH, outW, c]);
}

describe('reflectPad', () => {
  it('reflects without repeating the border: [1 2 3 4] by 2 reads [3 2 | 1 2 3 4 | 3 2]', async () => {
    const row = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
    const padded = reflectPad(row, [0, 2]);
    expect(Array.from(await padded.data())).toEqual([3, 2, 1, 2, 3, 4, 3, 2]);
    tf.dispose([row, padded]);
  });

  it('matches the naive loop and tf.mirrorPad(reflect) for equal and per-axis radii', async () => {
    for (const radius of [1, 2, 3, [0, 2], [3, 0], [2, 4]] as const) {
      const [rH, rW] = typeof radius === 'number' ? [radius, radius] : radius;
      const ours = reflectPad(x.tensor, radius);
      const naive = naiveReflectPad(x.values, shape, rH, rW);
      const theirs = tf.mirrorPad(
        x.tensor,
        [
          [0, 0],
          [rH, rH],
          [rW, rW],
          [0, 0],
        ],
        'reflect',
      );
      expect(ours.shape).toEqual([2, 4 + 2 * rH, 5 + 2 * rW, 3]);
      await expectTensorClose(ours, naive, { rtol: 0, atol: 0 });
      await expectTensorClose(ours, theirs, { rtol: 0, atol: 0 });
      tf.dispose([ours, naive, theirs]);
    }
    expect(reflectPad(x.tensor, 0)).toBe(x.tensor);
  });

  it('has the right gradient, border contributions included (unlike tf.mirrorPad in tfjs 4.22)', async () => {
    const weights = seeded<tf.Rank.R4>(112, [2, 8, 9, 3]);
    // Linear in a, so a larger step is still exact; at eps 1e-3 the float32 rounding of the 432-term sum
    // (summed in another order by TensorFlow's kernels) shows in the difference quotient.
    await gradCheck((a) => tf.sum(tf.mul(reflectPad(a as tf.Tensor4D, 2), weights.tensor)), [x.tensor], {
      eps: 1e-2,
    });
    const columnWeights = seeded<tf.Rank.R4>(113, [2, 4, 11, 3]);
    await gradCheck(
      (a) => tf.sum(tf.mul(reflectPad(a as tf.Tensor4D, [0, 3]), columnWeights.tensor)),
      [x.tensor],
    );
    tf.dispose([weights.tensor, columnWeights.tensor]);
  });

  it('names what is wrong', () => {
    expect(() => reflectPad(x.tensor, 4)).toThrow(
      "reflectPad: 'x' has shape [2,4,5,3] but a reflection by [4, 4] needs H > 4 and W > 4 (the border is not repeated).",
    );
    expect(() => reflectPad(x.tensor, -1)).toThrow(
      "reflectPad: 'radius' is -1 but expected an integer >= 0.",
    );
    expect(() => reflectPad(x.tensor, [1, 1.5])).toThrow(
      "reflectPad: 'radius[1]' is 1.5 but expected an integer >= 0.",
    );
    const image = tf.zeros([4, 5, 3]);
    expect(() => reflectPad(image as tf.Tensor4D, 1)).toThrow(
      "reflectPad: 'x' has shape [4,5,3] (rank 3) but expected [B,H,W,C] (rank 4).",
    );
    image.dispose();
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => reflectPad(x.tensor, [1, 2]));
  });
});
