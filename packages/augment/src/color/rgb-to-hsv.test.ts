import { DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, naiveRgbToHsv, randomImages } from '../../test/helpers';
import { rgbToHsv } from './rgb-to-hsv';

describe('rgbToHsv', () => {
  it('matches hand-computed colours', async () => {
    const colours = [
      [1, 0, 0], // red: h 0
      [0, 1, 0], // green: h 1/3
      [0, 0, 1], // blue: h 2/3
      [1, 0.5, 0], // orange: h6 = (g - b) / C = 0.5, h = 1/12
      [0.5, 0.5, 0.5], // grey: h 0, s 0
      [0, 0, 0], // black: all 0
      [0.2, 0.4, 0.8], // h6 = 4 + (r - g) / C = 4 - 1/3, s = 0.6 / 0.8
      [1, 0, 1], // magenta: red holds the max first, h6 = (g - b) / C = -1, h = 5/6
    ];
    const x = tf.tensor4d(colours.flat(), [1, 2, 4, 3]);
    const hsv = rgbToHsv(x);
    expect(hsv.shape).toEqual([1, 2, 4, 3]);
    expect(hsv.dtype).toBe('float32');
    await expectTensorClose(
      hsv,
      Float32Array.from(
        [
          [0, 1, 1],
          [1 / 3, 1, 1],
          [2 / 3, 1, 1],
          [1 / 12, 1, 1],
          [0, 0, 0.5],
          [0, 0, 0],
          [(4 - 1 / 3) / 6, 0.75, 0.8],
          [5 / 6, 1, 1],
        ].flat(),
      ),
    );
    tf.dispose([x, hsv]);
  });

  it('matches torchvision _rgb2hsv (naive loop) on random pixels, with ties', async () => {
    const x = randomImages(1, [2, 5, 6, 3]);
    // Quantised copy so that channel ties (max shared by two channels) occur.
    const q = tf.div(tf.round(tf.mul(x, 4)), 4) as tf.Tensor4D;
    for (const input of [x, q]) {
      const img = await Img.of(input);
      const expected = new Float32Array(img.data.length);
      for (let i = 0; i < img.data.length; i += 3) {
        expected.set(naiveRgbToHsv(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!), i);
      }
      const hsv = rgbToHsv(input);
      await expectTensorClose(hsv, expected);
      hsv.dispose();
    }
    tf.dispose([x, q]);
  });

  it('checks rank, channels and dtype', () => {
    const rank3 = tf.zeros([4, 4, 3]);
    const one = tf.zeros([1, 4, 4, 1]);
    const ints = tf.zeros([1, 4, 4, 3], 'int32');
    expect(() => rgbToHsv(rank3 as tf.Tensor4D)).toThrow(
      "rgbToHsv: 'images' has shape [4,4,3] (rank 3) but expected [B,H,W,C] (rank 4). Images are batched [B,H,W,C]; add a batch dimension with asBatch(image) or image.expandDims(0).",
    );
    expect(() => rgbToHsv(one as tf.Tensor4D)).toThrow(
      "rgbToHsv: 'images' has 1 channels (shape [1,4,4,1]) but expected 3.",
    );
    expect(() => rgbToHsv(one as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => rgbToHsv(ints as tf.Tensor4D)).toThrow(DTypeError);
    tf.dispose([rank3, one, ints]);
  });

  it('does not leak', async () => {
    const x = randomImages(2, [1, 3, 3, 3]);
    await expectNoLeaks(() => rgbToHsv(x));
    x.dispose();
  });
});
