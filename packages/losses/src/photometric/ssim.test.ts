import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { Img, type Shape4, seededImages } from '../../test/image-support';
import { expectFinite, gradientsOf } from '../../test/support';
import { gaussianWindow, ssim } from './ssim';

/** Wang 2004 SSIM map over the valid window positions, straight from the definition, float64. */
function naiveSsimMap(x: Img, y: Img, size: number, sigma: number, dataRange = 1): number[] {
  const r = (size - 1) / 2;
  const raw: number[] = [];
  for (let i = 0; i < size; i++) raw.push(Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = raw.reduce((a, b) => a + b, 0);
  const g = raw.map((v) => v / total);
  const c1 = (0.01 * dataRange) ** 2;
  const c2 = (0.03 * dataRange) ** 2;
  const out: number[] = [];
  for (let b = 0; b < x.b; b++)
    for (let oy = 0; oy + size <= x.h; oy++)
      for (let ox = 0; ox + size <= x.w; ox++)
        for (let c = 0; c < x.c; c++) {
          let mx = 0;
          let my = 0;
          for (let i = 0; i < size; i++)
            for (let j = 0; j < size; j++) {
              const w = (g[i] as number) * (g[j] as number);
              mx += w * x.at(b, oy + i, ox + j, c);
              my += w * y.at(b, oy + i, ox + j, c);
            }
          let sx = 0;
          let sy = 0;
          let sxy = 0;
          for (let i = 0; i < size; i++)
            for (let j = 0; j < size; j++) {
              const w = (g[i] as number) * (g[j] as number);
              const dx = x.at(b, oy + i, ox + j, c) - mx;
              const dy = y.at(b, oy + i, ox + j, c) - my;
              sx += w * dx * dx;
              sy += w * dy * dy;
              sxy += w * dx * dy;
            }
          out.push(((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sx + sy + c2)));
        }
  return out;
}

function perImageMean(map: number[], batch: number): number[] {
  const per = map.length / batch;
  return Array.from(
    { length: batch },
    (_, b) => map.slice(b * per, (b + 1) * per).reduce((s, v) => s + v, 0) / per,
  );
}

const SHAPE: Shape4 = [2, 13, 14, 3];
const x = seededImages(21, SHAPE);
// y: x plus structured noise, so SSIM is well inside (0, 1).
const noise = seededImages(22, SHAPE, -0.2, 0.2);
const yValues = Float32Array.from(x.values, (v, i) => v + (noise.values[i] as number));
const y = tf.tensor4d(yValues, [...SHAPE]);

afterAll(() => tf.dispose([x.tensor, noise.tensor, y]));

describe('ssim', () => {
  it('has a normalised Gaussian window', () => {
    const g = gaussianWindow(11, 1.5);
    expect(g.length).toBe(11);
    expect(g.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(g[5]).toBeGreaterThan(g[4] as number);
  });

  it('matches a naive float64 loop with the default 11x11, sigma 1.5 window, per image and as a map', async () => {
    const expected = naiveSsimMap(new Img(x.values, SHAPE), new Img(yValues, SHAPE), 11, 1.5);
    const perImage = ssim(x.tensor, y);
    const map = ssim(x.tensor, y, { output: 'map' });
    expect(perImage.shape).toEqual([2]);
    expect(map.shape).toEqual([2, 3, 4, 3]);
    await expectTensorClose(map, Float32Array.from(expected), { rtol: 1e-4, atol: 2e-5 });
    await expectTensorClose(perImage, perImageMean(expected, 2), { rtol: 1e-4, atol: 2e-5 });
    tf.dispose([perImage, map]);
  });

  it('matches the naive loop for windowSize 5, sigma 1 and data range 255', async () => {
    const scaledX = tf.mul(x.tensor, 255);
    const scaledY = tf.mul(y, 255);
    const xs = Float32Array.from(x.values, (v) => Math.fround(v * 255));
    const ys = Float32Array.from(yValues, (v) => Math.fround(v * 255));
    const expected = naiveSsimMap(new Img(xs, SHAPE), new Img(ys, SHAPE), 5, 1, 255);
    const map = ssim(scaledX, scaledY, { windowSize: 5, sigma: 1, dataRange: 255, output: 'map' });
    await expectTensorClose(map, Float32Array.from(expected), { rtol: 1e-4, atol: 5e-5 });
    tf.dispose([scaledX, scaledY, map]);
  });

  it('is 1 for identical images, and (2ab + C1)/(a^2 + b^2 + C1) for two constant images', async () => {
    const same = ssim(x.tensor, x.tensor);
    await expectTensorClose(same, [1, 1]);
    const a = tf.fill([1, 11, 11, 1], 0.6);
    const b = tf.fill([1, 11, 11, 1], 0.2);
    const c1 = 0.01 ** 2;
    const constant = ssim(a, b);
    // rtol 1e-3: the variances E[x^2] - mu^2 of a flat image cancel to float32 rounding (~1e-7), which
    // is 1e-4 of C2 = 9e-4; wasm's depthwise convolution rounds differently from cpu's.
    await expectTensorClose(constant, [(2 * 0.6 * 0.2 + c1) / (0.36 + 0.04 + c1)], { rtol: 1e-3 });
    tf.dispose([same, a, b, constant]);
  });

  it('passes finite-difference gradient checks and is finite on constant images', async () => {
    const a = seededImages(23, [1, 5, 6, 1]);
    const b = seededImages(24, [1, 5, 6, 1]);
    await gradCheck(
      (p, q) => tf.sum(ssim(p as tf.Tensor, q as tf.Tensor, { windowSize: 3, output: 'map' })),
      [a.tensor, b.tensor],
    );
    const flat = tf.fill([1, 5, 5, 1], 0.5);
    const grads = gradientsOf((p, q) => ssim(p, q, { windowSize: 3 }), [flat, flat]);
    await expectFinite(grads);
    tf.dispose([a.tensor, b.tensor, flat, ...grads]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => ssim(x.tensor, y));
    await expectNoLeaks(() => gradientsOf((p, q) => ssim(p, q, { windowSize: 5 }), [x.tensor, y]));
  });

  it('rejects bad shapes, dtypes and options', () => {
    const small = tf.zeros([1, 10, 20, 1]);
    const ints = tf.zeros([...SHAPE], 'int32');
    const rank3 = tf.zeros([13, 14, 3]);
    expect(() => ssim(small, small)).toThrow(
      "ssim: 'x' has shape [1,10,20,1] but H and W must be at least windowSize = 11 (the window is applied without padding).",
    );
    expect(() => ssim(rank3, rank3)).toThrow(ShapeError);
    expect(() => ssim(x.tensor, small)).toThrow(ShapeError);
    expect(() => ssim(ints, x.tensor)).toThrow(DTypeError);
    expect(() => ssim(x.tensor, y, { windowSize: 4 })).toThrow(
      "ssim: 'windowSize' is 4 but expected an odd integer >= 1.",
    );
    expect(() => ssim(x.tensor, y, { sigma: 0 })).toThrow(ArgumentError);
    expect(() => ssim(x.tensor, y, { output: 'all' as 'map' })).toThrow(ArgumentError);
    tf.dispose([small, ints, rank3]);
  });
});
