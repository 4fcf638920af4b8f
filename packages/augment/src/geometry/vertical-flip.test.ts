import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { verticalFlip } from './vertical-flip';

describe('verticalFlip', () => {
  it('turns exactly the chosen samples upside down', async () => {
    const x = randomImages(1, [8, 4, 3, 1]);
    const flip = verticalFlip();
    const params = flip.sample(key(5), 8, { height: 4, width: 3, channels: 1 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = flip.apply(x, params);
    const img = await Img.of(x);
    const expected = new Img(new Float32Array(img.data.length), img.shape);
    for (let b = 0; b < 8; b++)
      for (let y = 0; y < 4; y++)
        for (let xx = 0; xx < 3; xx++)
          expected.set(b, y, xx, 0, img.get(b, params.applied[b] ? 3 - y : y, xx, 0));
    await expectTensorClose(out, expected.data, { rtol: 0, atol: 0 });
    tf.dispose([x, out]);
  });

  it('validates and does not leak', async () => {
    expect(() => verticalFlip({ p: 3 })).toThrow(
      "verticalFlip: 'p' is 3 but expected a finite number >= 0 and <= 1.",
    );
    const ints = tf.zeros([1, 2, 2, 1], 'int32');
    expect(() => verticalFlip().apply(ints as tf.Tensor4D, { applied: Uint8Array.of(1) })).toThrow(
      "verticalFlip: 'images' has dtype int32 but expected float32.",
    );
    const x = randomImages(2, [2, 3, 3, 3]);
    await expectNoLeaks(() => verticalFlip().apply(x, { applied: Uint8Array.of(0, 1) }));
    tf.dispose([ints, x]);
  });
});
