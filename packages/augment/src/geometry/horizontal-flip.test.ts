import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { horizontalFlip } from './horizontal-flip';

describe('horizontalFlip', () => {
  it('mirrors exactly the chosen samples', async () => {
    const x = randomImages(1, [8, 3, 5, 3]);
    const flip = horizontalFlip();
    const params = flip.sample(key(2), 8, { height: 3, width: 5, channels: 3 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = flip.apply(x, params);
    const img = await Img.of(x);
    const expected = new Img(new Float32Array(img.data.length), img.shape);
    for (let b = 0; b < 8; b++)
      for (let y = 0; y < 3; y++)
        for (let xx = 0; xx < 5; xx++)
          for (let c = 0; c < 3; c++)
            expected.set(b, y, xx, c, img.get(b, y, params.applied[b] ? 4 - xx : xx, c));
    await expectTensorClose(out, expected.data, { rtol: 0, atol: 0 });
    tf.dispose([x, out]);
  });

  it('works on 1 channel, width 1 and p = 0, and is deterministic', async () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
    const out = horizontalFlip({ p: 1 }).apply(x, { applied: Uint8Array.of(1) });
    await expectTensorClose(out, [[[[4], [3], [2], [1]]]], { rtol: 0, atol: 0 });
    const column = tf.tensor4d([1, 2], [1, 2, 1, 1]);
    const same = horizontalFlip().apply(column, { applied: Uint8Array.of(1) });
    await expectTensorClose(same, column, { rtol: 0, atol: 0 });
    expect(
      horizontalFlip({ p: 0 })
        .sample(key(1), 10, { height: 2, width: 2, channels: 1 })
        .applied.every((a) => a === 0),
    ).toBe(true);
    expect(horizontalFlip().sample(key(3), 10, { height: 2, width: 2, channels: 1 })).toEqual(
      horizontalFlip().sample(key(3), 10, { height: 2, width: 2, channels: 1 }),
    );
    tf.dispose([x, out, column, same]);
  });

  it('validates and does not leak', async () => {
    expect(() => horizontalFlip({ p: -1 })).toThrow(
      "horizontalFlip: 'p' is -1 but expected a finite number >= 0 and <= 1.",
    );
    const x = randomImages(4, [2, 3, 3, 3]);
    expect(() => horizontalFlip().apply(x, { applied: new Uint8Array(5) })).toThrow(
      "horizontalFlip: 'params' were sampled for a batch of 5 but 'images' has 2 (shape [2,3,3,3]); sample with the images' batch size.",
    );
    await expectNoLeaks(() => horizontalFlip().apply(x, { applied: Uint8Array.of(1, 0) }));
    x.dispose();
  });
});
