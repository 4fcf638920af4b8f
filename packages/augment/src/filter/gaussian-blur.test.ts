import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { type GaussianBlurParams, gaussianBlur } from './gaussian-blur';

/** Naive 2-D convolution with the outer-product Gaussian kernel and reflect padding. */
async function naiveBlur(images: tf.Tensor4D, params: GaussianBlurParams): Promise<Float32Array> {
  const img = await Img.of(images);
  const [B, H, W, C] = images.shape;
  const k = params.kernelSize;
  const r = (k - 1) / 2;
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const out = new Img(new Float32Array(img.data.length), img.shape);
  for (let b = 0; b < B; b++) {
    const sigma = params.sigma[b]!;
    const g = Array.from({ length: k }, (_, j) => Math.exp(-0.5 * ((j - r) / sigma) ** 2));
    const total = g.reduce((a, v) => a + v, 0);
    const w = g.map((v) => v / total);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < C; c++) {
          if (params.applied[b] !== 1) {
            out.set(b, y, x, c, img.get(b, y, x, c));
            continue;
          }
          let sum = 0;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++)
              sum += w[i]! * w[j]! * img.get(b, reflect(y + i - r, H), reflect(x + j - r, W), c);
          out.set(b, y, x, c, sum);
        }
  }
  return out.data;
}

describe('gaussianBlur', () => {
  it('matches a naive 2-D convolution with reflect padding, per-sample sigma', async () => {
    const x = randomImages(1, [6, 7, 9, 3]);
    const blur = gaussianBlur({ kernelSize: 5, sigma: [0.1, 2], p: 0.5 });
    const params = blur.sample(key(2), 6, { height: 7, width: 9, channels: 3 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = blur.apply(x, params);
    expect(out.shape).toEqual([6, 7, 9, 3]);
    await expectTensorClose(out, await naiveBlur(x, params));
    // Samples not blurred are exact copies.
    const [xs, os] = [await Img.of(x), await Img.of(out)];
    for (let b = 0; b < 6; b++)
      if (params.applied[b] === 0) expect(os.pixel(b, 3, 4)).toEqual(xs.pixel(b, 3, 4));
    tf.dispose([x, out]);
  });

  it('handles 1 channel, the largest kernel for the image, and a fixed sigma', async () => {
    const x = randomImages(3, [2, 4, 5, 1]);
    const blur = gaussianBlur({ kernelSize: 7, sigma: 1.5, p: 1 });
    const params = blur.sample(key(4), 2, { height: 4, width: 5, channels: 1 });
    expect(Array.from(params.sigma)).toEqual([1.5, 1.5]);
    const out = blur.apply(x, params);
    await expectTensorClose(out, await naiveBlur(x, params));
    // A constant image stays constant (the taps sum to 1).
    const flat = tf.fill([1, 4, 5, 1], 0.25) as tf.Tensor4D;
    const flatOut = blur.apply(flat, blur.sample(key(5), 1, { height: 4, width: 5, channels: 1 }));
    await expectTensorClose(flatOut, flat);
    tf.dispose([x, out, flat, flatOut]);
  });

  it('has the right gradient through the reflect padding (finite differences)', async () => {
    const x = randomImages(6, [2, 5, 6, 1]);
    const blur = gaussianBlur({ kernelSize: 5, sigma: [0.5, 1.5], p: 1 });
    const params = blur.sample(key(7), 2, { height: 5, width: 6, channels: 1 });
    const weights = randomImages(8, [2, 5, 6, 1]);
    const report = await gradCheck((a) => tf.mul(blur.apply(a as tf.Tensor4D, params), weights), [x], {
      maxEntries: 60,
    });
    expect(report.checked).toBe(60);
    tf.dispose([x, weights]);
  });

  it('is deterministic and validates options and image size', () => {
    const blur = gaussianBlur({ kernelSize: 5 });
    expect(blur.sample(key(9), 4, { height: 8, width: 8, channels: 3 })).toEqual(
      blur.sample(key(9), 4, { height: 8, width: 8, channels: 3 }),
    );
    expect(() => gaussianBlur({ kernelSize: 4 })).toThrow(
      "gaussianBlur: 'kernelSize' is 4 but expected an odd positive integer.",
    );
    expect(() => gaussianBlur({ kernelSize: 5, sigma: -1 })).toThrow(
      "gaussianBlur: 'sigma' is -1 but expected a finite number > 0.",
    );
    expect(() => gaussianBlur({ kernelSize: 5, sigma: [2, 1] })).toThrow(
      "gaussianBlur: 'sigma' is [2,1] but expected [min, max] with 0 < min <= max.",
    );
    expect(() => gaussianBlur({ kernelSize: 5, p: 1.1 })).toThrow(ArgumentError);
    const small = tf.zeros([1, 2, 8, 1]) as tf.Tensor4D;
    expect(() => blur.apply(small, blur.sample(key(1), 1, { height: 2, width: 8, channels: 1 }))).toThrow(
      "gaussianBlur: 'images' are 2x8 but kernelSize 5 needs at least 3x3 for reflect padding by 2.",
    );
    small.dispose();
  });

  it('does not leak', async () => {
    const x = randomImages(10, [2, 6, 6, 3]);
    const blur = gaussianBlur({ kernelSize: 3, p: 0.5 });
    await expectNoLeaks(() => blur.apply(x, blur.sample(key(11), 2, { height: 6, width: 6, channels: 3 })));
    x.dispose();
  });
});
