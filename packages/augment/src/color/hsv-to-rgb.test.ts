import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, naiveHsvToRgb, randomImages } from '../../test/helpers';
import { hsvToRgb } from './hsv-to-rgb';
import { rgbToHsv } from './rgb-to-hsv';

describe('hsvToRgb', () => {
  it('matches hand-computed colours', async () => {
    const x = tf.tensor4d([1 / 3, 1, 0.5, 0, 0, 0.7, 1 / 12, 1, 1, 0.5, 0.5, 1], [1, 1, 4, 3]);
    const rgb = hsvToRgb(x);
    // dark green; grey 0.7; orange; cyan at half saturation: (v (1 - s), v, v)
    await expectTensorClose(rgb, Float32Array.of(0, 0.5, 0, 0.7, 0.7, 0.7, 1, 0.5, 0, 0.5, 1, 1));
    expect(rgb.shape).toEqual([1, 1, 4, 3]);
    tf.dispose([x, rgb]);
  });

  it('matches torchvision _hsv2rgb (naive loop) and treats hue as periodic', async () => {
    const hsv = randomImages(3, [2, 4, 5, 3]);
    const img = await Img.of(hsv);
    const expected = new Float32Array(img.data.length);
    for (let i = 0; i < img.data.length; i += 3) {
      expected.set(naiveHsvToRgb(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!), i);
    }
    const rgb = hsvToRgb(hsv);
    await expectTensorClose(rgb, expected);
    const shifted = tf.add(hsv, tf.tensor1d([1, 0, 0])) as tf.Tensor4D;
    const rgbShifted = hsvToRgb(shifted);
    await expectTensorClose(rgbShifted, expected);
    tf.dispose([hsv, rgb, shifted, rgbShifted]);
  });

  it('round-trips with rgbToHsv', async () => {
    const rgb = randomImages(4, [2, 6, 6, 3]);
    const back = tf.tidy(() => hsvToRgb(rgbToHsv(rgb)));
    await expectTensorClose(back, rgb);
    // HSV -> RGB -> HSV, away from the grey axis where hue is undefined.
    const hsv = tf.tidy(() =>
      tf.add(tf.mul(randomImages(5, [1, 6, 6, 3]), [0.999, 0.8, 0.8]), [0, 0.2, 0.2]),
    );
    const again = tf.tidy(() => rgbToHsv(hsvToRgb(hsv as tf.Tensor4D)));
    await expectTensorClose(again, hsv);
    tf.dispose([rgb, back, hsv, again]);
  });

  it('has the gradient of the formula (finite differences, away from the sector kinks)', async () => {
    // Hues 0.05 from every multiple of 1/6 so that eps = 1e-3 never crosses a kink.
    const hsv = tf.tensor4d([0.1, 0.6, 0.7, 0.3, 0.9, 0.4, 0.45, 0.5, 0.8, 0.95, 0.3, 0.6], [1, 2, 2, 3]);
    const report = await gradCheck((x) => tf.mul(hsvToRgb(x as tf.Tensor4D), tf.tensor1d([1, 2, 3])), [hsv]);
    expect(report.checked).toBe(12);
    hsv.dispose();
  });

  it('checks channels and does not leak', async () => {
    const one = tf.zeros([1, 2, 2, 1]);
    expect(() => hsvToRgb(one as tf.Tensor4D)).toThrow(
      "hsvToRgb: 'images' has 1 channels (shape [1,2,2,1]) but expected 3.",
    );
    const x = randomImages(6, [1, 3, 3, 3]);
    await expectNoLeaks(() => hsvToRgb(x));
    tf.dispose([one, x]);
  });
});
