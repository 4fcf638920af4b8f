import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, naiveJitter, randomImages } from '../../test/helpers';
import { type ColorJitterParams, colorJitter } from './color-jitter';

/** Runs the naive torchvision jitter on every applied sample of `images`. */
async function reference(images: tf.Tensor4D, params: ColorJitterParams): Promise<Float32Array> {
  const img = await Img.of(images);
  for (let b = 0; b < images.shape[0]; b++) {
    if (params.applied[b] !== 1) continue;
    naiveJitter(img, b, Array.from(params.order.subarray(4 * b, 4 * b + 4)), {
      brightness: params.brightness[b]!,
      contrast: params.contrast[b]!,
      saturation: params.saturation[b]!,
      hue: params.hue[b]!,
    });
  }
  return img.data;
}

const size = (channels: number) => ({ height: 5, width: 6, channels });

describe('colorJitter', () => {
  it('draws factors in torchvision ranges and a permutation per sample', () => {
    const jitter = colorJitter({ brightness: 0.4, contrast: [0.5, 0.9], saturation: 0.2, hue: 0.1, p: 0.8 });
    const params = jitter.sample(key(1), 200, size(3));
    for (let b = 0; b < 200; b++) {
      expect(params.brightness[b]).toBeGreaterThanOrEqual(0.6);
      expect(params.brightness[b]).toBeLessThan(1.4);
      expect(params.contrast[b]).toBeGreaterThanOrEqual(0.5);
      expect(params.contrast[b]).toBeLessThan(0.9);
      expect(Math.abs(params.hue[b]!)).toBeLessThanOrEqual(0.1);
      expect([...params.order.subarray(4 * b, 4 * b + 4)].sort()).toEqual([0, 1, 2, 3]);
    }
    const rate = params.applied.reduce((a, v) => a + v, 0) / 200;
    expect(rate).toBeGreaterThan(0.65);
    expect(rate).toBeLessThan(0.93);
    // Orders differ across samples (24 permutations).
    const distinct = new Set(
      Array.from({ length: 200 }, (_, b) => params.order.subarray(4 * b, 4 * b + 4).join('')),
    );
    expect(distinct.size).toBeGreaterThan(15);
    // brightness 1 clamps its lower bound at 0: U[max(0, 1 - b), 1 + b]
    const wide = colorJitter({ brightness: 1.5 }).sample(key(2), 100, size(3));
    expect(Math.min(...wide.brightness)).toBeGreaterThanOrEqual(0);
  });

  it('applies each adjustment as torchvision does (naive loop), one at a time', async () => {
    const x = randomImages(3, [4, 5, 6, 3]);
    for (const options of [{ brightness: 0.8 }, { contrast: 0.8 }, { saturation: 0.8 }, { hue: 0.3 }]) {
      const jitter = colorJitter({ ...options, p: 1 });
      const params = jitter.sample(key(4), 4, size(3));
      const out = jitter.apply(x, params);
      await expectTensorClose(out, await reference(x, params));
      out.dispose();
    }
    x.dispose();
  });

  it('brightness is multiplicative and clamped (hand-computed)', async () => {
    const x = tf.tensor4d([0.2, 0.5, 0.9], [1, 1, 1, 3]);
    const params: ColorJitterParams = {
      applied: Uint8Array.of(1),
      order: Uint8Array.of(0, 1, 2, 3),
      brightness: Float32Array.of(1.5),
      contrast: Float32Array.of(1),
      saturation: Float32Array.of(1),
      hue: Float32Array.of(0),
    };
    const out = colorJitter({ brightness: 0.5 }).apply(x, params);
    await expectTensorClose(out, Float32Array.of(0.3, 0.75, 1));
    tf.dispose([x, out]);
  });

  it('applies all four in the random order of each sample (naive loop)', async () => {
    const x = randomImages(5, [8, 5, 6, 3]);
    const jitter = colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 0.5 });
    const params = jitter.sample(key(6), 8, size(3));
    expect(params.applied.includes(0)).toBe(true);
    const out = jitter.apply(x, params);
    await expectTensorClose(out, await reference(x, params));
    // Samples not applied come out exactly unchanged.
    const [xs, os] = [await Img.of(x), await Img.of(out)];
    for (let b = 0; b < 8; b++) {
      if (params.applied[b] === 0) expect(os.pixel(b, 2, 3)).toEqual(xs.pixel(b, 2, 3));
    }
    tf.dispose([x, out]);
  });

  it('on 1 channel applies brightness and contrast and skips saturation and hue', async () => {
    const x = randomImages(7, [4, 5, 6, 1]);
    const jitter = colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 1 });
    const params = jitter.sample(key(8), 4, size(1));
    const out = jitter.apply(x, params);
    expect(out.shape).toEqual([4, 5, 6, 1]);
    await expectTensorClose(out, await reference(x, params));
    const onlyColour = colorJitter({ saturation: 0.8, hue: 0.3, p: 1 });
    const same = onlyColour.apply(x, onlyColour.sample(key(9), 4, size(1)));
    await expectTensorClose(same, x, { rtol: 0, atol: 0 });
    tf.dispose([x, out, same]);
  });

  it('is deterministic for a key and different across keys', async () => {
    const x = randomImages(10, [3, 5, 6, 3]);
    const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 1 });
    const a = jitter.apply(x, jitter.sample(key(11), 3, size(3)));
    const b = jitter.apply(x, jitter.sample(key(11), 3, size(3)));
    const c = jitter.apply(x, jitter.sample(key(12), 3, size(3)));
    await expectTensorClose(a, b, { rtol: 0, atol: 0 });
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, a, b, c]);
  });

  it('validates options, images and params with typed errors', () => {
    expect(() => colorJitter({ brightness: -0.1 })).toThrow(
      "colorJitter: 'brightness' is -0.1 but expected a finite number >= 0.",
    );
    expect(() => colorJitter({ hue: 0.7 })).toThrow(
      "colorJitter: 'hue' is 0.7 but expected a finite number >= 0 and <= 0.5.",
    );
    expect(() => colorJitter({ contrast: [1.2, 0.8] })).toThrow(
      "colorJitter: 'contrast' is [1.2,0.8] but expected [min, max] with 0 <= min <= max.",
    );
    expect(() => colorJitter({ p: 1.5 })).toThrow(
      "colorJitter: 'p' is 1.5 but expected a finite number >= 0 and <= 1.",
    );
    expect(() => colorJitter({ p: -0.1 })).toThrow(ArgumentError);
    const jitter = colorJitter({ brightness: 0.5 });
    expect(() => jitter.sample(key(1), 0, size(3))).toThrow(
      "colorJitter: 'batchSize' is 0 but expected an integer >= 1.",
    );
    const rank3 = tf.zeros([5, 6, 3]);
    const four = tf.zeros([2, 5, 6, 4]);
    const ints = tf.zeros([2, 5, 6, 3], 'int32');
    const ok = tf.zeros([2, 5, 6, 3]);
    const params = jitter.sample(key(1), 2, size(3));
    expect(() => jitter.apply(rank3 as tf.Tensor4D, params)).toThrow(/add a batch dimension/);
    expect(() => jitter.apply(four as tf.Tensor4D, params)).toThrow(
      "colorJitter: 'images' has 4 channels (shape [2,5,6,4]) but expected 1 or 3.",
    );
    expect(() => jitter.apply(ints as tf.Tensor4D, params)).toThrow(DTypeError);
    expect(() => jitter.apply(ok as tf.Tensor4D, jitter.sample(key(1), 3, size(3)))).toThrow(
      "colorJitter: 'params' were sampled for a batch of 3 but 'images' has 2 (shape [2,5,6,3]); sample with the images' batch size.",
    );
    expect(() => jitter.apply(rank3 as tf.Tensor4D, params)).toThrow(ShapeError);
    tf.dispose([rank3, four, ints, ok]);
  });

  it('does not leak', async () => {
    const x = randomImages(13, [3, 5, 6, 3]);
    const jitter = colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.5 });
    await expectNoLeaks(() => jitter.apply(x, jitter.sample(key(14), 3, size(3))));
    x.dispose();
  });
});
