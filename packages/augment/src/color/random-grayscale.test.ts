import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { grayOf, Img, key, mapPixels, randomImages } from '../../test/helpers';
import { randomGrayscale } from './random-grayscale';

describe('randomGrayscale', () => {
  it('writes the BT.601 grey to all three channels of the chosen samples only', async () => {
    const x = randomImages(1, [8, 4, 5, 3]);
    const gray = randomGrayscale({ p: 0.5 });
    const params = gray.sample(key(2), 8, { height: 4, width: 5, channels: 3 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = gray.apply(x, params);
    expect(out.shape).toEqual([8, 4, 5, 3]);
    const img = await Img.of(x);
    for (let b = 0; b < 8; b++)
      if (params.applied[b] === 1) mapPixels(img, b, (px) => [grayOf(px), grayOf(px), grayOf(px)]);
    await expectTensorClose(out, img.data);
    tf.dispose([x, out]);
  });

  it('is a no-op on 1-channel images and with p = 0; p = 1 converts every sample', async () => {
    const x1 = randomImages(3, [2, 4, 4, 1]);
    const all = randomGrayscale({ p: 1 });
    const same = all.apply(x1, all.sample(key(4), 2, { height: 4, width: 4, channels: 1 }));
    await expectTensorClose(same, x1, { rtol: 0, atol: 0 });
    expect(all.sample(key(4), 16, { height: 4, width: 4, channels: 3 }).applied.every((a) => a === 1)).toBe(
      true,
    );
    const none = randomGrayscale({ p: 0 });
    expect(none.sample(key(4), 16, { height: 4, width: 4, channels: 3 }).applied.every((a) => a === 0)).toBe(
      true,
    );
    tf.dispose([x1, same]);
  });

  it('validates and does not leak', async () => {
    expect(() => randomGrayscale({ p: 2 })).toThrow(
      "randomGrayscale: 'p' is 2 but expected a finite number >= 0 and <= 1.",
    );
    const x = randomImages(5, [4, 4, 4, 3]);
    const gray = randomGrayscale({ p: 0.5 });
    await expectNoLeaks(() => gray.apply(x, gray.sample(key(6), 4, { height: 4, width: 4, channels: 3 })));
    expect(() => gray.apply(x, { applied: new Uint8Array(3) })).toThrow(
      /sampled for a batch of 3 but 'images' has 4/,
    );
    x.dispose();
  });
});
