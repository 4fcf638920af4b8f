import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Img, type Shape4, seededImages } from '../../test/image-support';
import { expectExactlyZero, expectFinite, gradientsOf } from '../../test/support';
import { edgeAwareSmoothness } from './edge-aware-smoothness';

/**
 * Monodepth2's get_smooth_loss (order 1) and the second-order variant, straight from the formula:
 * means over the positions where each difference exists, float64.
 */
function naiveSmoothness(disp: Img, image: Img, order: 1 | 2, normalize: boolean, lambda = 1): number {
  const d = (b: number, y: number, x: number, k: number): number => {
    if (!normalize) return disp.at(b, y, x, k);
    let s = 0;
    for (let yy = 0; yy < disp.h; yy++)
      for (let xx = 0; xx < disp.w; xx++) for (let kk = 0; kk < disp.c; kk++) s += disp.at(b, yy, xx, kk);
    return disp.at(b, y, x, k) / (s / (disp.h * disp.w * disp.c) + 1e-7);
  };
  const edge = (b: number, y0: number, x0: number, y1: number, x1: number): number => {
    let s = 0;
    for (let c = 0; c < image.c; c++) s += Math.abs(image.at(b, y1, x1, c) - image.at(b, y0, x0, c));
    return Math.exp((-lambda * s) / image.c);
  };
  let sx = 0;
  let nx = 0;
  let sy = 0;
  let ny = 0;
  for (let b = 0; b < disp.b; b++)
    for (let y = 0; y < disp.h; y++)
      for (let x = 0; x < disp.w; x++) {
        for (const axis of ['x', 'y'] as const) {
          const [dy, dx] = axis === 'x' ? [0, 1] : [1, 0];
          let value: number | undefined;
          if (order === 1 && y + dy < disp.h && x + dx < disp.w) {
            let s = 0;
            for (let k = 0; k < disp.c; k++) s += Math.abs(d(b, y + dy, x + dx, k) - d(b, y, x, k));
            value = (s / disp.c) * edge(b, y, x, y + dy, x + dx);
          }
          if (order === 2 && y - dy >= 0 && x - dx >= 0 && y + dy < disp.h && x + dx < disp.w) {
            let s = 0;
            for (let k = 0; k < disp.c; k++)
              s += Math.abs(d(b, y - dy, x - dx, k) - 2 * d(b, y, x, k) + d(b, y + dy, x + dx, k));
            value = (s / disp.c) * edge(b, y, x, y + dy, x + dx);
          }
          if (value === undefined) continue;
          if (axis === 'x') {
            sx += value;
            nx++;
          } else {
            sy += value;
            ny++;
          }
        }
      }
  return sx / nx + sy / ny;
}

const DISP: Shape4 = [2, 5, 6, 1];
const IMAGE: Shape4 = [2, 5, 6, 3];
const disp = seededImages(61, DISP, 0.01, 0.3);
const image = seededImages(62, IMAGE);

afterAll(() => tf.dispose([disp.tensor, image.tensor]));

describe('edgeAwareSmoothness', () => {
  for (const order of [1, 2] as const) {
    for (const normalize of [true, false]) {
      it(`matches a naive loop (order ${order}, normalize ${normalize}); mean and sum are the mean and sum of the map`, async () => {
        const expected = naiveSmoothness(
          new Img(disp.values, DISP),
          new Img(image.values, IMAGE),
          order,
          normalize,
        );
        const meanLoss = edgeAwareSmoothness(disp.tensor, image.tensor, { order, normalize });
        await expectTensorClose(meanLoss, expected);
        const none = edgeAwareSmoothness(disp.tensor, image.tensor, { order, normalize, reduction: 'none' });
        expect(none.shape).toEqual([2, 5, 6, 1]);
        const sumLoss = edgeAwareSmoothness(disp.tensor, image.tensor, {
          order,
          normalize,
          reduction: 'sum',
        });
        await expectTensorClose(sumLoss, expected * 2 * 5 * 6);
        const meanOfMap = tf.mean(none);
        await expectTensorClose(meanOfMap, expected);
        tf.dispose([meanLoss, none, sumLoss, meanOfMap]);
      });
    }
  }

  it('averages a multi-channel field (flow) over its channels and honours edgeWeight', async () => {
    const flow = seededImages(63, [1, 4, 5, 2], -2, 2);
    const frame = seededImages(64, [1, 4, 5, 1]);
    const expected = naiveSmoothness(
      new Img(flow.values, [1, 4, 5, 2]),
      new Img(frame.values, [1, 4, 5, 1]),
      2,
      false,
      10,
    );
    const loss = edgeAwareSmoothness(flow.tensor, frame.tensor, {
      order: 2,
      normalize: false,
      edgeWeight: 10,
    });
    await expectTensorClose(loss, expected);
    tf.dispose([flow.tensor, frame.tensor, loss]);
  });

  it('has hand-derived values: a linear ramp on a flat image, and 0 for order 2', async () => {
    // disp(x) = x on a constant image: every |d(x+1) - d(x)| is 1 with weight exp(0) = 1 along x, and 0
    // along y, so order 1 gives 1; the second difference of a ramp is 0.
    const ramp = tf.tensor4d([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [1, 3, 4, 1]);
    const flat = tf.fill([1, 3, 4, 3], 0.5);
    const first = edgeAwareSmoothness(ramp, flat, { normalize: false });
    await expectTensorClose(first, 1);
    const second = edgeAwareSmoothness(ramp, flat, { order: 2, normalize: false, reduction: 'none' });
    await expectExactlyZero(second);
    // Normalised: the mean is 1.5, so the steps are 1 / 1.5.
    const normalised = edgeAwareSmoothness(ramp, flat);
    await expectTensorClose(normalised, 1 / 1.5);
    tf.dispose([ramp, flat, first, second, normalised]);
  });

  it('passes finite-difference gradient checks', async () => {
    // Seed 75: every first and second difference of d is at least 0.027, far from the kinks of |.|.
    const d = seededImages(75, [1, 4, 4, 1], 0.2, 0.6);
    const im = seededImages(66, [1, 4, 4, 3]);
    for (const order of [1, 2] as const) {
      await gradCheck(
        (p, q) => edgeAwareSmoothness(p as tf.Tensor, q as tf.Tensor, { order, reduction: 'sum' }),
        [d.tensor, im.tensor],
      );
    }
    tf.dispose([d.tensor, im.tensor]);
  });

  it('is 0 with finite gradients for zero disparity, normalised or not, on a constant image', async () => {
    const zeros = tf.zeros([1, 4, 4, 1]);
    const flat = tf.fill([1, 4, 4, 3], 0.5);
    for (const order of [1, 2] as const) {
      const loss = edgeAwareSmoothness(zeros, flat, { order });
      await expectTensorClose(loss, 0);
      const grads = gradientsOf((p, q) => edgeAwareSmoothness(p, q, { order }), [zeros, flat]);
      await expectFinite(grads);
      tf.dispose([loss, ...grads]);
    }
    tf.dispose([zeros, flat]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => edgeAwareSmoothness(disp.tensor, image.tensor, { reduction: 'none' }));
    await expectNoLeaks(() =>
      gradientsOf((p, q) => edgeAwareSmoothness(p, q, { order: 2 }), [disp.tensor, image.tensor]),
    );
  });

  it('rejects bad inputs and options', () => {
    const rank3 = tf.zeros([5, 6, 1]);
    const other = tf.zeros([2, 5, 7, 3]);
    const ints = tf.zeros([...DISP], 'int32');
    const tiny = tf.zeros([2, 2, 6, 1]);
    const tinyImage = tf.zeros([2, 2, 6, 3]);
    expect(() => edgeAwareSmoothness(rank3, image.tensor)).toThrow(
      "edgeAwareSmoothness: 'disp' has shape [5,6,1] (rank 3) but expected [B,H,W,K] (rank 4).",
    );
    expect(() => edgeAwareSmoothness(disp.tensor, other)).toThrow(
      "edgeAwareSmoothness: 'image' has shape [2,5,7,3] but 'disp' has [2,5,6,1]; 'W' must be the same size in both (6 vs 7).",
    );
    expect(() => edgeAwareSmoothness(ints, image.tensor)).toThrow(DTypeError);
    expect(() => edgeAwareSmoothness(tiny, tinyImage, { order: 2 })).toThrow(ShapeError);
    expect(() => edgeAwareSmoothness(disp.tensor, image.tensor, { order: 3 as 1 })).toThrow(
      "edgeAwareSmoothness: 'order' is 3 but expected 1 or 2.",
    );
    expect(() =>
      edgeAwareSmoothness(disp.tensor, image.tensor, { normalize: 'yes' as unknown as boolean }),
    ).toThrow(ArgumentError);
    expect(() => edgeAwareSmoothness(disp.tensor, image.tensor, { edgeWeight: -1 })).toThrow(ArgumentError);
    tf.dispose([rank3, other, ints, tiny, tinyImage]);
  });
});
