import { foldIn } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { colorJitter } from '../color/color-jitter';
import { randomErasing } from '../erasing/random-erasing';
import { horizontalFlip } from '../geometry/horizontal-flip';
import { randomResizedCrop } from '../geometry/random-resized-crop';
import { pipeline } from './pipeline';

describe('pipeline', () => {
  const stages = () => [
    randomResizedCrop({ size: [6, 5] }),
    horizontalFlip(),
    colorJitter({ brightness: 0.5, hue: 0.1 }),
    randomErasing({ p: 1 }),
  ];

  it('samples stage i with foldIn(key, i) at the size the earlier stages produce, and chains apply', async () => {
    const x = randomImages(1, [4, 12, 10, 3]);
    const [crop, flip, jitter, erase] = stages() as [
      ReturnType<typeof randomResizedCrop>,
      ReturnType<typeof horizontalFlip>,
      ReturnType<typeof colorJitter>,
      ReturnType<typeof randomErasing>,
    ];
    const view = pipeline([crop, flip, jitter, erase]);
    const params = view.sample(key(2), 4, { height: 12, width: 10, channels: 3 });
    expect(params).toHaveLength(4);
    expect(params[0]).toEqual(crop.sample(foldIn(key(2), 0), 4, { height: 12, width: 10, channels: 3 }));
    // The erasing box was drawn for the 6x5 crop, not the 12x10 input.
    expect(params[3]).toEqual(erase.sample(foldIn(key(2), 3), 4, { height: 6, width: 5, channels: 3 }));
    const out = view.apply(x, params);
    expect(out.shape).toEqual([4, 6, 5, 3]);
    expect(view.outputSize?.({ height: 12, width: 10, channels: 3 })).toEqual({
      height: 6,
      width: 5,
      channels: 3,
    });
    const manual = tf.tidy(() => {
      const a = crop.apply(x, params[0] as never);
      const b = flip.apply(a, params[1] as never);
      const c = jitter.apply(b, params[2] as never);
      return erase.apply(c, params[3] as never);
    });
    await expectTensorClose(out, manual, { rtol: 0, atol: 0 });
    tf.dispose([x, out, manual]);
  });

  it('an empty pipeline copies its input; params must match the stages', async () => {
    const x = randomImages(3, [2, 4, 4, 1]);
    const empty = pipeline([]);
    const out = empty.apply(x, empty.sample(key(1), 2, { height: 4, width: 4, channels: 1 }));
    await expectTensorClose(out, x, { rtol: 0, atol: 0 });
    expect(() => pipeline(stages()).apply(x, [])).toThrow(
      "pipeline: 'params' is an array of 0 but expected an array of 4 params (one per stage, from sample()).",
    );
    expect(() => pipeline([{} as never])).toThrow(
      /pipeline: 'augmentations' is \[object\] but expected an array of augmentations/,
    );
    tf.dispose([x, out]);
  });

  it('does not leak', async () => {
    const x = randomImages(4, [3, 12, 10, 3]);
    const view = pipeline(stages());
    await expectNoLeaks(() => view.apply(x, view.sample(key(5), 3, { height: 12, width: 10, channels: 3 })));
    x.dispose();
  });
});
