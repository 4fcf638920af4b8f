import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededImages } from '../../test/image-support';
import { multiScale } from './multi-scale';

/** Bilinear upsampling with half-pixel centres (PyTorch align_corners=False), float64, one channel. */
function naiveUpsample(
  values: ArrayLike<number>,
  h: number,
  w: number,
  height: number,
  width: number,
): number[] {
  const coord = (o: number, inSize: number, outSize: number): [number, number, number] => {
    const s = Math.max((o + 0.5) * (inSize / outSize) - 0.5, 0);
    const lo = Math.min(Math.floor(s), inSize - 1);
    return [lo, Math.min(lo + 1, inSize - 1), s - lo];
  };
  const out: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [y0, y1, fy] = coord(y, h, height);
      const [x0, x1, fx] = coord(x, w, width);
      const at = (yy: number, xx: number): number => values[yy * w + xx] as number;
      out.push(
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1)),
      );
    }
  return out;
}

const target = seededImages(101, [1, 8, 8, 1]);
const fine = seededImages(102, [1, 8, 8, 1]);
const mid = seededImages(103, [1, 4, 4, 1]);
const coarse = seededImages(104, [1, 2, 2, 1]);

afterAll(() => tf.dispose([target.tensor, fine.tensor, mid.tensor, coarse.tensor]));

/** L1 against the target, so the upsampled values can be checked through the loss. */
const l1 = (up: tf.Tensor4D): tf.Scalar => tf.mean(tf.abs(tf.sub(up, target.tensor))) as tf.Scalar;

describe('multiScale', () => {
  it('upsamples every scale to [H, W] (half-pixel bilinear) before the loss, and averages', async () => {
    const seen: [number, number[]][] = [];
    const loss = multiScale([fine.tensor, mid.tensor, coarse.tensor], [8, 8], (up, scale) => {
      seen.push([scale, up.shape]);
      return l1(up);
    });
    expect(seen).toEqual([
      [0, [1, 8, 8, 1]],
      [1, [1, 8, 8, 1]],
      [2, [1, 8, 8, 1]],
    ]);
    const t = Array.from(target.values);
    const l1Of = (up: number[]): number =>
      up.reduce((s, v, i) => s + Math.abs(v - (t[i] as number)), 0) / up.length;
    const perScale = [
      l1Of(Array.from(fine.values)),
      l1Of(naiveUpsample(mid.values, 4, 4, 8, 8)),
      l1Of(naiveUpsample(coarse.values, 2, 2, 8, 8)),
    ];
    await expectTensorClose(loss, (perScale[0]! + perScale[1]! + perScale[2]!) / 3);
    const weighted = multiScale([fine.tensor, mid.tensor, coarse.tensor], [8, 8], l1, {
      weights: [1, 0.5, 0.25],
    });
    await expectTensorClose(weighted, (perScale[0]! + 0.5 * perScale[1]! + 0.25 * perScale[2]!) / 1.75);
    tf.dispose([loss, weighted]);
  });

  it('upsamples non-square and non-integer ratios as PyTorch does', async () => {
    const small = seededImages(105, [1, 3, 5, 1]);
    const captured: number[][] = [];
    const loss = multiScale([small.tensor], [7, 9], (up) => {
      captured.push(Array.from(up.dataSync()));
      return tf.sum(up) as tf.Scalar;
    });
    await expectTensorClose(
      Float32Array.from(captured[0]!),
      Float32Array.from(naiveUpsample(small.values, 3, 5, 7, 9)),
    );
    tf.dispose([small.tensor, loss]);
  });

  it('passes a finite-difference gradient check through the upsampling', async () => {
    // A quadratic loss (central differences are exact for it, no |.| kinks) averaged, with a tight atol:
    // a sum over 144 values would round to ~1e-3 in the central difference on wasm.
    const t = seededImages(106, [1, 6, 8, 3]);
    const a = seededImages(107, [1, 3, 4, 3]);
    const b = seededImages(108, [1, 2, 3, 3]);
    await gradCheck(
      (p, q) =>
        multiScale(
          [p as tf.Tensor, q as tf.Tensor],
          [6, 8],
          (up) => tf.mean(tf.square(tf.sub(up, t.tensor))) as tf.Scalar,
        ),
      [a.tensor, b.tensor],
      { atol: 2e-5 },
    );
    tf.dispose([t.tensor, a.tensor, b.tensor]);
  });

  it('does not leak, and frees what lossFn allocates', async () => {
    await expectNoLeaks(() => multiScale([fine.tensor, mid.tensor, coarse.tensor], [8, 8], l1));
    await expectNoLeaks(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => multiScale([a, b], [8, 8], l1))([fine.tensor, mid.tensor]),
    );
  });

  it('rejects bad inputs', () => {
    const ints = tf.zeros([1, 4, 4, 1], 'int32');
    const otherBatch = tf.zeros([2, 4, 4, 1]);
    expect(() => multiScale([], [8, 8], l1)).toThrow(ArgumentError);
    expect(() => multiScale([fine.tensor, otherBatch], [8, 8], l1)).toThrow(
      "multiScale: 'predictions[1]' has shape [2,4,4,1] but 'predictions[0]' has [1,8,8,1]; both must be [B,*,*,C] with equal sizes.",
    );
    expect(() => multiScale([ints], [8, 8], l1)).toThrow(DTypeError);
    expect(() => multiScale([fine.tensor], [8, 0] as [number, number], l1)).toThrow(
      "multiScale: 'size' is [8,0] but expected [H, W], two positive integers.",
    );
    expect(() => multiScale([fine.tensor], [8, 8], l1, { weights: [1, 2] })).toThrow(ArgumentError);
    expect(() => multiScale([fine.tensor], [8, 8], (up) => up)).toThrow(ShapeError);
    expect(() => multiScale([fine.tensor], [8, 8], (up) => up)).toThrow(/must return a scalar tensor/);
    tf.dispose([ints, otherBatch]);
  });
});
