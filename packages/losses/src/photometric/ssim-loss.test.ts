import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Img, meanOf, naiveSsimLoss, seededImages, sumOf } from '../../test/image-support';
import { expectExactlyZero, expectFinite, gradientsOf } from '../../test/support';
import { ssimLoss } from './ssim-loss';

const SHAPE = [2, 5, 6, 3] as const;
const x = seededImages(1, SHAPE);
const y = seededImages(2, SHAPE);

afterAll(() => tf.dispose([x.tensor, y.tensor]));

describe('ssimLoss', () => {
  it('returns a scalar for mean and sum, and [B,H,W,1] for none', () => {
    const meanLoss = ssimLoss(x.tensor, y.tensor);
    const sumLoss = ssimLoss(x.tensor, y.tensor, { reduction: 'sum' });
    const none = ssimLoss(x.tensor, y.tensor, { reduction: 'none' });
    expect(meanLoss.shape).toEqual([]);
    expect(sumLoss.shape).toEqual([]);
    expect(none.shape).toEqual([2, 5, 6, 1]);
    expect(none.dtype).toBe('float32');
    tf.dispose([meanLoss, sumLoss, none]);
  });

  it('matches a naive float64 loop with reflection padding, for every reduction', async () => {
    const expected = naiveSsimLoss(new Img(x.values, SHAPE), new Img(y.values, SHAPE));
    const none = ssimLoss(x.tensor, y.tensor, { reduction: 'none' });
    const meanLoss = ssimLoss(x.tensor, y.tensor);
    const sumLoss = ssimLoss(x.tensor, y.tensor, { reduction: 'sum' });
    await expectTensorClose(none, Float32Array.from(expected));
    await expectTensorClose(meanLoss, meanOf(expected));
    await expectTensorClose(sumLoss, sumOf(expected));
    tf.dispose([none, meanLoss, sumLoss]);
  });

  it('matches the naive loop on a 2x2 single-channel image (padding reflects every border pixel)', async () => {
    const a = seededImages(3, [1, 2, 2, 1]);
    const b = seededImages(4, [1, 2, 2, 1]);
    const expected = naiveSsimLoss(new Img(a.values, [1, 2, 2, 1]), new Img(b.values, [1, 2, 2, 1]));
    const none = ssimLoss(a.tensor, b.tensor, { reduction: 'none' });
    await expectTensorClose(none, Float32Array.from(expected));
    tf.dispose([a.tensor, b.tensor, none]);
  });

  it('is exactly 0 for identical images', async () => {
    const none = ssimLoss(x.tensor, x.tensor, { reduction: 'none' });
    await expectExactlyZero(none);
    tf.dispose(none);
  });

  it('has the closed form for a uniform brightness change of a constant image', async () => {
    // x = a, y = b everywhere: all variances vanish, so SSIM = (2ab + C1) / (a^2 + b^2 + C1) and the
    // loss is (1 - SSIM) / 2 at every pixel.
    const a = 0.5;
    const b = 0.3;
    const c1 = 0.01 ** 2;
    const expected = (1 - (2 * a * b + c1) / (a * a + b * b + c1)) / 2;
    const xs = tf.fill([1, 4, 4, 3], a);
    const ys = tf.fill([1, 4, 4, 3], b);
    const loss = ssimLoss(xs, ys);
    await expectTensorClose(loss, expected);
    tf.dispose([xs, ys, loss]);
  });

  it('passes finite-difference gradient checks for both inputs, border pixels included', async () => {
    const a = seededImages(5, [1, 4, 5, 2]);
    const b = seededImages(6, [1, 4, 5, 2]);
    await gradCheck(
      (p, q) => ssimLoss(p as tf.Tensor, q as tf.Tensor, { reduction: 'sum' }),
      [a.tensor, b.tensor],
    );
    tf.dispose([a.tensor, b.tensor]);
  });

  it('is finite, with finite gradients, on constant and identical images', async () => {
    const flat = tf.fill([1, 4, 4, 3], 0.5);
    const zeros = tf.zeros([1, 4, 4, 3]);
    for (const [p, q] of [
      [flat, zeros],
      [flat, flat],
      [zeros, zeros],
    ] as const) {
      const loss = ssimLoss(p, q);
      await expectFinite(loss);
      const grads = gradientsOf((u, v) => ssimLoss(u, v), [p, q]);
      await expectFinite(grads);
      tf.dispose([loss, ...grads]);
    }
    tf.dispose([flat, zeros]);
  });

  it('does not leak, in the forward pass or under tf.grads', async () => {
    await expectNoLeaks(() => ssimLoss(x.tensor, y.tensor, { reduction: 'none' }));
    await expectNoLeaks(() => gradientsOf((a, b) => ssimLoss(a, b), [x.tensor, y.tensor]));
  });

  it('rejects wrong ranks, mismatched shapes, tiny images, wrong dtypes and unknown reductions', () => {
    const rank3 = tf.zeros([5, 6, 3]);
    const other = tf.zeros([2, 5, 7, 3]);
    const ints = tf.zeros(SHAPE as unknown as number[], 'int32');
    const thin = tf.zeros([2, 1, 6, 3]);
    expect(() => ssimLoss(rank3, y.tensor)).toThrow(
      "ssimLoss: 'x' has shape [5,6,3] (rank 3) but expected [B,H,W,C] (rank 4).",
    );
    expect(() => ssimLoss(x.tensor, other)).toThrow(
      "ssimLoss: 'y' has shape [2,5,7,3] but 'x' has [2,5,6,3]; both must be [B,H,W,C] with equal sizes.",
    );
    expect(() => ssimLoss(x.tensor, ints)).toThrow(DTypeError);
    expect(() => ssimLoss(x.tensor, ints)).toThrow("ssimLoss: 'y' has dtype int32 but expected float32.");
    expect(() => ssimLoss(thin, thin)).toThrow(ShapeError);
    expect(() => ssimLoss(thin, thin)).toThrow(/H and W must be at least 2/);
    expect(() => ssimLoss(x.tensor, y.tensor, { reduction: 'max' as unknown as 'mean' })).toThrow(
      ArgumentError,
    );
    tf.dispose([rank3, other, ints, thin]);
  });
});
