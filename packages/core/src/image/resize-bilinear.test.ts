import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { resizeBilinear } from './resize-bilinear';
import { seeded } from './test-support';

const shape = [2, 3, 4, 2] as const;
const x = seeded<tf.Rank.R4>(91, shape);

afterAll(() => x.tensor.dispose());

/** The naive loop, in float64: half-pixel source `max((o + 0.5) in/out - 0.5, 0)`, clamped at the edge. */
function naiveResize(
  values: Float32Array,
  [b, h, w, c]: readonly [number, number, number, number],
  outH: number,
  outW: number,
) {
  const taps = (o: number, inSize: number, outSize: number) => {
    const s = Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0);
    const lo = Math.min(Math.floor(s), inSize - 1);
    return [lo, Math.min(lo + 1, inSize - 1), s - lo] as const;
  };
  const out = new Float32Array(b * outH * outW * c);
  const at = (n: number, i: number, j: number, ch: number) => values[((n * h + i) * w + j) * c + ch]!;
  for (let n = 0; n < b; n++)
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outW; j++)
        for (let ch = 0; ch < c; ch++) {
          const [i0, i1, wi] = taps(i, h, outH);
          const [j0, j1, wj] = taps(j, w, outW);
          const top = (1 - wj) * at(n, i0, j0, ch) + wj * at(n, i0, j1, ch);
          const bottom = (1 - wj) * at(n, i1, j0, ch) + wj * at(n, i1, j1, ch);
          out[((n * outH + i) * outW + j) * c + ch] = (1 - wi) * top + wi * bottom;
        }
  return tf.tensor4d(out, [b, outH, outW, c]);
}

describe('resizeBilinear', () => {
  it('matches the naive loop and tf.image.resizeBilinear with half-pixel centres, up and down', async () => {
    for (const [h, w] of [
      [6, 8],
      [7, 11],
      [2, 3],
      [3, 4],
      [1, 2],
    ] as const) {
      const ours = resizeBilinear(x.tensor, [h, w]);
      const naive = naiveResize(x.values, shape, h, w);
      const theirs = tf.image.resizeBilinear(x.tensor, [h, w], false, true);
      expect(ours.shape).toEqual([2, h, w, 2]);
      await expectTensorClose(ours, naive);
      await expectTensorClose(ours, theirs);
      tf.dispose(ours === x.tensor ? [naive, theirs] : [ours, naive, theirs]); // same size: `x` itself
    }
  });

  it('has the right gradient on non-square maps (tfjs 4.22 ResizeBilinearGrad ignores halfPixelCenters)', async () => {
    const weights = seeded<tf.Rank.R4>(92, [2, 7, 9, 2]);
    await gradCheck(
      (a) => tf.sum(tf.mul(resizeBilinear(a as tf.Tensor4D, [7, 9]), weights.tensor)),
      [x.tensor],
    );
    const downWeights = seeded<tf.Rank.R4>(93, [2, 2, 3, 2]);
    await gradCheck(
      (a) => tf.sum(tf.mul(resizeBilinear(a as tf.Tensor4D, [2, 3]), downWeights.tensor)),
      [x.tensor],
    );
    tf.dispose([weights.tensor, downWeights.tensor]);
  });

  it('names what is wrong', () => {
    expect(() => resizeBilinear(x.tensor, [0, 4])).toThrow(
      "resizeBilinear: 'size[0]' is 0 but expected an integer >= 1.",
    );
    expect(() => resizeBilinear(x.tensor, [4] as unknown as [number, number])).toThrow(
      "resizeBilinear: 'size' is an array of 1 but expected [height, width].",
    );
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => resizeBilinear(x.tensor, [6, 8]));
  });
});
