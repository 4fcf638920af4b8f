import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Img, pixelMap, type Shape4, seededImages, sumOf } from '../../test/image-support';
import { expectFinite, gradientsOf } from '../../test/support';
import { censusLoss } from './census-loss';

const FLOOR = 0.001 ** 0.9; // the Charbonnier penalty of a zero census distance

/** UnFlow's census loss map, one offset at a time, float64; 0 on the border of width d. */
function naiveCensus(x: Img, y: Img, patchSize: number, mask?: ArrayLike<number>): Float64Array {
  const d = (patchSize - 1) / 2;
  const gray = (img: Img, b: number, py: number, px: number): number =>
    255 *
    (img.c === 3
      ? 0.299 * img.at(b, py, px, 0) + 0.587 * img.at(b, py, px, 1) + 0.114 * img.at(b, py, px, 2)
      : img.at(b, py, px, 0));
  const soft = (t: number): number => t / Math.sqrt(0.81 + t * t);
  return pixelMap(x.shape, (b, py, px) => {
    if (py < d || px < d || py >= x.h - d || px >= x.w - d) return 0;
    let dist = 0;
    for (let oy = -d; oy <= d; oy++)
      for (let ox = -d; ox <= d; ox++) {
        const cx = soft(gray(x, b, py + oy, px + ox) - gray(x, b, py, px));
        const cy = soft(gray(y, b, py + oy, px + ox) - gray(y, b, py, px));
        const e2 = (cx - cy) ** 2;
        dist += e2 / (0.1 + e2);
      }
    const m = mask ? (mask[(b * x.h + py) * x.w + px] as number) : 1;
    return m * (dist * dist + 1e-6) ** 0.45;
  });
}

const SHAPE: Shape4 = [2, 7, 8, 3];
const x = seededImages(51, SHAPE);
const y = seededImages(52, SHAPE);

afterAll(() => tf.dispose([x.tensor, y.tensor]));

describe('censusLoss', () => {
  for (const patchSize of [3, 5, 7]) {
    it(`matches a naive loop over the ${patchSize}x${patchSize} patch (RGB), for every reduction`, async () => {
      const expected = naiveCensus(new Img(x.values, SHAPE), new Img(y.values, SHAPE), patchSize);
      const none = censusLoss(x.tensor, y.tensor, { patchSize, reduction: 'none' });
      expect(none.shape).toEqual([2, 7, 8, 1]);
      await expectTensorClose(none, Float32Array.from(expected));
      const d = (patchSize - 1) / 2;
      const valid = 2 * (7 - 2 * d) * (8 - 2 * d);
      const meanLoss = censusLoss(x.tensor, y.tensor, { patchSize });
      await expectTensorClose(meanLoss, sumOf(expected) / valid);
      const sumLoss = censusLoss(x.tensor, y.tensor, { patchSize, reduction: 'sum' });
      await expectTensorClose(sumLoss, sumOf(expected));
      tf.dispose([none, meanLoss, sumLoss]);
    });
  }

  it('matches the naive loop on one channel with a mask, the mean over the masked valid pixels', async () => {
    const shape: Shape4 = [1, 6, 6, 1];
    const a = seededImages(53, shape);
    const b = seededImages(54, shape);
    const maskValues = Float32Array.from({ length: 36 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const mask = tf.tensor4d(maskValues, [1, 6, 6, 1]);
    const expected = naiveCensus(new Img(a.values, shape), new Img(b.values, shape), 3, maskValues);
    const none = censusLoss(a.tensor, b.tensor, { patchSize: 3, mask, reduction: 'none' });
    await expectTensorClose(none, Float32Array.from(expected));
    let weight = 0;
    for (let py = 1; py < 5; py++) for (let px = 1; px < 5; px++) weight += maskValues[py * 6 + px] as number;
    const meanLoss = censusLoss(a.tensor, b.tensor, { patchSize: 3, mask });
    await expectTensorClose(meanLoss, sumOf(expected) / weight);
    tf.dispose([a.tensor, b.tensor, mask, none, meanLoss]);
  });

  it('is the Charbonnier floor on valid pixels and 0 on the border for identical images', async () => {
    const none = censusLoss(x.tensor, x.tensor, { patchSize: 5, reduction: 'none' });
    const expected = pixelMap(SHAPE, (_, py, px) => (py < 2 || px < 2 || py >= 5 || px >= 6 ? 0 : FLOOR));
    await expectTensorClose(none, Float32Array.from(expected));
    const meanLoss = censusLoss(x.tensor, x.tensor, { patchSize: 5 });
    await expectTensorClose(meanLoss, FLOOR);
    tf.dispose([none, meanLoss]);
  });

  it('ignores an additive brightness change', async () => {
    const dim = tf.mul(x.tensor, 0.6);
    const brighter = tf.add(dim, 0.3);
    const loss = censusLoss(brighter, dim, { patchSize: 3 });
    await expectTensorClose(loss, FLOOR, { rtol: 1e-3, atol: 1e-4 });
    tf.dispose([dim, brighter, loss]);
  });

  it('gives the hand-derived distance for one changed neighbour', async () => {
    // 3x3 images, patch 3: only the centre is valid. y's top-left pixel is 1/255 brighter, so for that
    // offset t_y = 1, t_x = 0, e = 1/sqrt(1.81), and dist = e^2 / (0.1 + e^2); every other offset gives 0.
    const zeros = tf.zeros([1, 3, 3, 1]);
    const bumped = tf.tensor4d([1 / 255, 0, 0, 0, 0, 0, 0, 0, 0], [1, 3, 3, 1]);
    const e2 = 1 / 1.81;
    const dist = e2 / (0.1 + e2);
    const none = censusLoss(zeros, bumped, { patchSize: 3, reduction: 'none' });
    await expectTensorClose(none, Float32Array.of(0, 0, 0, 0, (dist * dist + 1e-6) ** 0.45, 0, 0, 0, 0), {
      rtol: 1e-4,
    });
    tf.dispose([zeros, bumped, none]);
  });

  it('passes finite-difference gradient checks', async () => {
    // Checked in 8-bit intensity units, where the census is smooth over a step of 0.01 (in [0, 1] units
    // that step would be 0.255 intensity levels). The values span 4 levels, so neighbours differ by about
    // one level, where the soft ternary transform is far from saturated.
    const a = seededImages(55, [1, 4, 5, 3], 100, 104);
    const b = seededImages(56, [1, 4, 5, 3], 100, 104);
    const fromIntensities = (p: tf.Tensor, q: tf.Tensor): tf.Tensor =>
      censusLoss(tf.div(p, 255), tf.div(q, 255), { patchSize: 3, reduction: 'sum' });
    await gradCheck(fromIntensities, [a.tensor, b.tensor], { eps: 1e-2 });
    // The gradient is hand-written (recomputed per offset): check a 5x5 patch on one channel too.
    const c = seededImages(57, [1, 6, 7, 1], 100, 104);
    const d = seededImages(58, [1, 6, 7, 1], 100, 104);
    await gradCheck(
      (p, q) => censusLoss(tf.div(p, 255), tf.div(q, 255), { patchSize: 5, reduction: 'sum' }),
      [c.tensor, d.tensor],
      { eps: 1e-2 },
    );
    tf.dispose([a.tensor, b.tensor, c.tensor, d.tensor]);
  });

  it('is finite with finite gradients on constant and identical images and an all-zero mask', async () => {
    const flat = tf.fill([1, 5, 5, 3], 0.5);
    const zeros = tf.zeros([1, 5, 5, 3]);
    const noMask = tf.zeros([1, 5, 5, 1]);
    for (const [p, q] of [
      [flat, flat],
      [flat, zeros],
    ] as const) {
      const loss = censusLoss(p, q, { patchSize: 3 });
      await expectFinite(loss);
      const grads = gradientsOf((u, v) => censusLoss(u, v, { patchSize: 3 }), [p, q]);
      await expectFinite(grads);
      tf.dispose([loss, ...grads]);
    }
    const masked = censusLoss(flat, zeros, { patchSize: 3, mask: noMask });
    await expectTensorClose(masked, 0);
    tf.dispose([flat, zeros, noMask, masked]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => censusLoss(x.tensor, y.tensor, { reduction: 'none' }));
    await expectNoLeaks(() =>
      gradientsOf((a, b) => censusLoss(a, b, { patchSize: 3 }), [x.tensor, y.tensor]),
    );
  });

  it('rejects bad inputs and options, naming the op and the argument', () => {
    const rank3 = tf.zeros([7, 8, 3]);
    const other = tf.zeros([2, 7, 9, 3]);
    const two = tf.zeros([2, 7, 8, 2]);
    const ints = tf.zeros([...SHAPE], 'int32');
    const badMask = tf.zeros([2, 7, 8, 3]);
    expect(() => censusLoss(rank3, y.tensor)).toThrow(
      "censusLoss: 'x' has shape [7,8,3] (rank 3) but expected [B,H,W,C] (rank 4).",
    );
    expect(() => censusLoss(x.tensor, other)).toThrow(
      "censusLoss: 'y' has shape [2,7,9,3] but 'x' has [2,7,8,3]; both must be [B,H,W,C] with equal sizes.",
    );
    expect(() => censusLoss(two, two)).toThrow(
      "censusLoss: 'x' has 2 channels (shape [2,7,8,2]) but expected 1 or 3.",
    );
    expect(() => censusLoss(x.tensor, ints)).toThrow(DTypeError);
    expect(() => censusLoss(x.tensor, y.tensor, { mask: badMask })).toThrow(ShapeError);
    expect(() => censusLoss(x.tensor, y.tensor, { patchSize: 4 })).toThrow(
      "censusLoss: 'patchSize' is 4 but expected an odd integer >= 3.",
    );
    expect(() => censusLoss(x.tensor, y.tensor, { patchSize: 9 })).toThrow(/H and W must be at least 9/);
    expect(() => censusLoss(x.tensor, y.tensor, { reduction: 'avg' as 'mean' })).toThrow(ArgumentError);
    tf.dispose([rank3, other, two, ints, badMask]);
  });
});
