import { ArgumentError, createKey, ShapeError, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { costVolume } from './cost-volume';

/** The definition, as loops over a Float32Array. */
function naiveCostVolume(
  a: Float32Array,
  b: Float32Array,
  shape: number[],
  d: number,
  normalize = false,
): Float32Array {
  const [B, H, W, C] = shape as [number, number, number, number];
  // With normalize: each pixel's vector divided by sqrt(mean_c v^2 + 1e-6).
  const rms = (v: Float32Array, i: number) => {
    let s = 0;
    for (let c = 0; c < C; c++) s += v[i * C + c]! ** 2;
    return normalize ? Math.sqrt(s / C + 1e-6) : 1;
  };
  const K = (2 * d + 1) ** 2;
  const out = new Float32Array(B * H * W * K);
  for (let n = 0; n < B; n++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let dy = -d; dy <= d; dy++)
          for (let dx = -d; dx <= d; dx++) {
            const k = (dy + d) * (2 * d + 1) + (dx + d);
            const y2 = y + dy;
            const x2 = x + dx;
            let sum = 0;
            if (y2 >= 0 && y2 < H && x2 >= 0 && x2 < W) {
              for (let c = 0; c < C; c++)
                sum += a[((n * H + y) * W + x) * C + c]! * b[((n * H + y2) * W + x2) * C + c]!;
              sum /= rms(a, (n * H + y) * W + x) * rms(b, (n * H + y2) * W + x2);
            }
            out[((n * H + y) * W + x) * K + k] = sum / C;
          }
  return out;
}

describe('costVolume', () => {
  it('matches the definition computed by loops (d = 0, 1, 2; zero outside the map)', async () => {
    const shape = [2, 5, 6, 3];
    const f1 = uniform(createKey(1), shape, { min: -1, max: 1 }) as tf.Tensor4D;
    const f2 = uniform(createKey(2), shape, { min: -1, max: 1 }) as tf.Tensor4D;
    const [a, b] = [(await f1.data()) as Float32Array, (await f2.data()) as Float32Array];
    for (const d of [0, 1, 2]) {
      const cv = costVolume(f1, f2, { maxDisplacement: d });
      expect(cv.shape).toEqual([2, 5, 6, (2 * d + 1) ** 2]);
      await expectTensorClose(cv, tf.tensor(naiveCostVolume(a, b, shape, d), cv.shape), {
        rtol: 1e-5,
        atol: 1e-6,
      });
      cv.dispose();
    }
    tf.dispose([f1, f2]);
  });

  it('normalize: divides each pixel vector by its RMS over channels, so entries are cosine similarities', async () => {
    const shape: [number, number, number, number] = [1, 4, 5, 3];
    const f1 = uniform(createKey(7), shape, { min: -1, max: 1 }) as tf.Tensor4D;
    const f2 = uniform(createKey(8), shape, { min: -1, max: 1 }) as tf.Tensor4D;
    const [a, b] = [(await f1.data()) as Float32Array, (await f2.data()) as Float32Array];
    const cv = costVolume(f1, f2, { maxDisplacement: 1, normalize: true });
    await expectTensorClose(cv, tf.tensor(naiveCostVolume(a, b, shape, 1, true), cv.shape), {
      rtol: 1e-5,
      atol: 1e-6,
    });
    // A map against itself (and against 3 times itself): the centre channel is 1 (cosine of a vector with itself).
    const scaled = tf.mul(f1, 3) as tf.Tensor4D;
    const self = costVolume(f1, scaled, { maxDisplacement: 1, normalize: true });
    const centre = tf.slice(self, [0, 0, 0, 4], [1, 4, 5, 1]);
    await expectTensorClose(centre, tf.ones([1, 4, 5, 1]), { rtol: 1e-5, atol: 1e-5 });
    // Zero vectors (outside the map, or a zero feature map) give 0, not NaN.
    const zero = costVolume(tf.zeros(shape) as tf.Tensor4D, f2, { maxDisplacement: 1, normalize: true });
    expect(Array.from(await zero.data()).every((v) => v === 0)).toBe(true);
    tf.dispose([f1, f2, cv, scaled, self, centre, zero]);
  });

  it('peaks at the true displacement: f2 is f1 moved one pixel right, so (dx, dy) = (1, 0) gives mean(f1^2)', async () => {
    // f1(x) = f2(x + 1): f2 is f1 shifted right by one pixel.
    const f1 = uniform(createKey(3), [1, 4, 5, 2], { min: 0.5, max: 1 }) as tf.Tensor4D;
    const f2 = tf.pad(tf.slice(f1, [0, 0, 0, 0], [1, 4, 4, 2]), [
      [0, 0],
      [0, 0],
      [1, 0],
      [0, 0],
    ]) as tf.Tensor4D;
    const cv = costVolume(f1, f2, { maxDisplacement: 1 });
    const k = (0 + 1) * 3 + (1 + 1); // dy = 0, dx = +1
    const picked = tf.slice(cv, [0, 0, 0, k], [1, 4, 4, 1]); // x + 1 inside the map
    const expected = tf.mean(tf.square(tf.slice(f1, [0, 0, 0, 0], [1, 4, 4, 2])), -1, true);
    await expectTensorClose(picked, expected, { rtol: 1e-5, atol: 1e-6 });
    // Column x = 4 reads outside the map at dx = +1: zero.
    const outside = await tf.slice(cv, [0, 0, 4, k], [1, 4, 1, 1]).data();
    expect(Array.from(outside)).toEqual([0, 0, 0, 0]);
    tf.dispose([f1, f2, cv, picked, expected]);
  });

  it('has the gradient of finite differences with respect to both maps', async () => {
    const f1 = uniform(createKey(4), [1, 3, 4, 2], { min: -1, max: 1 });
    const f2 = uniform(createKey(5), [1, 3, 4, 2], { min: -1, max: 1 });
    const weights = uniform(createKey(6), [1, 3, 4, 9], { min: -1, max: 1 });
    const report = await gradCheck(
      (a, b) => tf.mul(costVolume(a as tf.Tensor4D, b as tf.Tensor4D, { maxDisplacement: 1 }), weights),
      [f1, f2],
      { maxEntries: 24 },
    );
    expect(report.checked).toBe(48);
    const normalized = await gradCheck(
      (a, b) =>
        tf.mul(
          costVolume(a as tf.Tensor4D, b as tf.Tensor4D, { maxDisplacement: 1, normalize: true }),
          weights,
        ),
      [f1, f2],
      { maxEntries: 24 },
    );
    expect(normalized.checked).toBe(48);
    tf.dispose([f1, f2, weights]);
  });

  it('does not leak', async () => {
    const f = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
    await expectNoLeaks(() => costVolume(f, f, { maxDisplacement: 2 }));
    await expectNoLeaks(() => costVolume(f, f, { maxDisplacement: 2, normalize: true }));
    await expectNoLeaks(() => tf.grads((a: tf.Tensor) => tf.sum(costVolume(a as tf.Tensor4D, f)))([f]));
    f.dispose();
  });

  it('throws typed errors for mismatched maps and bad displacements', () => {
    const a = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    const b = tf.zeros([1, 4, 5, 2]) as tf.Tensor4D;
    expect(() => costVolume(a, b)).toThrow(ShapeError);
    expect(() => costVolume(a, b)).toThrow(/costVolume: 'f2'/);
    expect(() => costVolume(a, a, { maxDisplacement: 1.5 })).toThrow(ArgumentError);
    expect(() => costVolume(a, a, { maxDisplacement: -1 })).toThrow(/costVolume.*maxDisplacement/);
    expect(() => costVolume(a, a, { radius: 2 } as never)).toThrow(/costVolume/);
    expect(() => costVolume(a, a, { normalize: 1 } as never)).toThrow(/costVolume.*normalize/);
    expect(() => costVolume(tf.zeros([4, 4, 2]) as never, a)).toThrow(ShapeError);
    tf.dispose([a, b]);
  });
});
