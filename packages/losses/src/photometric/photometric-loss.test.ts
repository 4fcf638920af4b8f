import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Img, meanOf, naiveL1, naiveSsimLoss, seededImages, sumOf } from '../../test/image-support';
import { expectFinite, gradientsOf } from '../../test/support';
import { photometricLoss } from './photometric-loss';

const SHAPE = [2, 4, 5, 3] as const;
const pred = seededImages(41, SHAPE);
const target = seededImages(42, SHAPE);

function naivePhotometric(alpha: number): number[] {
  const p = new Img(pred.values, SHAPE);
  const t = new Img(target.values, SHAPE);
  const s = naiveSsimLoss(p, t);
  const l = naiveL1(p, t);
  return Array.from(s, (v, i) => alpha * v + (1 - alpha) * (l[i] as number));
}

afterAll(() => tf.dispose([pred.tensor, target.tensor]));

describe('photometricLoss', () => {
  it('is 0.85 ssimLoss + 0.15 L1 per pixel by default (naive loop), for every reduction', async () => {
    const expected = naivePhotometric(0.85);
    const none = photometricLoss(pred.tensor, target.tensor, { reduction: 'none' });
    expect(none.shape).toEqual([2, 4, 5, 1]);
    await expectTensorClose(none, Float32Array.from(expected));
    const meanLoss = photometricLoss(pred.tensor, target.tensor);
    expect(meanLoss.shape).toEqual([]);
    await expectTensorClose(meanLoss, meanOf(expected));
    const sumLoss = photometricLoss(pred.tensor, target.tensor, { reduction: 'sum' });
    await expectTensorClose(sumLoss, sumOf(expected));
    tf.dispose([none, meanLoss, sumLoss]);
  });

  it('honours alpha, including alpha = 0 (plain L1, any size) and alpha = 1 (SSIM only)', async () => {
    for (const alpha of [0, 0.5, 1]) {
      const loss = photometricLoss(pred.tensor, target.tensor, { alpha, reduction: 'none' });
      await expectTensorClose(loss, Float32Array.from(naivePhotometric(alpha)));
      loss.dispose();
    }
    const line = tf.fill([1, 1, 3, 3], 0.5);
    const other = tf.fill([1, 1, 3, 3], 0.2);
    const l1 = photometricLoss(line, other, { alpha: 0 });
    await expectTensorClose(l1, 0.3);
    tf.dispose([line, other, l1]);
  });

  it('gives the hand-derived value for a brightness change of a constant image', async () => {
    // Constant a vs constant b: SSIM = (2ab + C1)/(a^2 + b^2 + C1), L1 = |a - b|.
    const [a, b, c1] = [0.4, 0.5, 0.01 ** 2];
    const ssimTerm = (1 - (2 * a * b + c1) / (a * a + b * b + c1)) / 2;
    const xs = tf.fill([1, 3, 3, 3], a);
    const ys = tf.fill([1, 3, 3, 3], b);
    const loss = photometricLoss(xs, ys);
    await expectTensorClose(loss, 0.85 * ssimTerm + 0.15 * 0.1);
    const same = photometricLoss(xs, xs);
    await expectTensorClose(same, 0);
    tf.dispose([xs, ys, loss, same]);
  });

  it('passes finite-difference gradient checks', async () => {
    const a = seededImages(43, [1, 3, 4, 2]);
    const b = seededImages(44, [1, 3, 4, 2]);
    await gradCheck(
      (p, q) => photometricLoss(p as tf.Tensor, q as tf.Tensor, { reduction: 'sum' }),
      [a.tensor, b.tensor],
    );
    tf.dispose([a.tensor, b.tensor]);
  });

  it('is finite with finite gradients on constant and identical images', async () => {
    const flat = tf.fill([1, 3, 3, 3], 0.5);
    const zeros = tf.zeros([1, 3, 3, 3]);
    for (const [p, q] of [
      [flat, flat],
      [zeros, zeros],
      [flat, zeros],
    ] as const) {
      const loss = photometricLoss(p, q);
      await expectFinite(loss);
      const grads = gradientsOf((u, v) => photometricLoss(u, v), [p, q]);
      await expectFinite(grads);
      tf.dispose([loss, ...grads]);
    }
    tf.dispose([flat, zeros]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => photometricLoss(pred.tensor, target.tensor, { reduction: 'none' }));
    await expectNoLeaks(() => gradientsOf((a, b) => photometricLoss(a, b), [pred.tensor, target.tensor]));
  });

  it('rejects bad inputs, naming the op and the argument', () => {
    const rank3 = tf.zeros([4, 5, 3]);
    const other = tf.zeros([2, 4, 5, 1]);
    const ints = tf.zeros([...SHAPE], 'int32');
    expect(() => photometricLoss(rank3, target.tensor)).toThrow(
      "photometricLoss: 'pred' has shape [4,5,3] (rank 3) but expected [B,H,W,C] (rank 4).",
    );
    expect(() => photometricLoss(pred.tensor, other)).toThrow(
      "photometricLoss: 'target' has shape [2,4,5,1] but 'pred' has [2,4,5,3]; both must be [B,H,W,C] with equal sizes.",
    );
    expect(() => photometricLoss(pred.tensor, ints)).toThrow(DTypeError);
    expect(() => photometricLoss(pred.tensor, target.tensor, { alpha: 1.5 })).toThrow(ArgumentError);
    const thin = tf.zeros([1, 1, 4, 3]);
    expect(() => photometricLoss(thin, thin)).toThrow(ShapeError);
    tf.dispose([rank3, other, ints, thin]);
  });
});
