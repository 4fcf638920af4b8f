import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { solarize } from './solarize';

describe('solarize', () => {
  it('inverts pixels at or above the threshold in the chosen samples (hand-computed)', async () => {
    const x = tf.tensor4d([0.1, 0.5, 0.7, 1, 0.1, 0.5, 0.7, 1], [2, 1, 4, 1]);
    const sol = solarize({ threshold: 0.5 });
    const out = sol.apply(x, { applied: Uint8Array.of(1, 0) });
    await expectTensorClose(out, Float32Array.of(0.1, 0.5, 0.3, 0, 0.1, 0.5, 0.7, 1));
    tf.dispose([x, out]);
  });

  it('matches x >= t ? 1 - x : x on random images with 3 channels, and is deterministic', async () => {
    const x = randomImages(1, [6, 4, 4, 3]);
    const sol = solarize({ threshold: 0.3, p: 0.5 });
    const params = sol.sample(key(2), 6, { height: 4, width: 4, channels: 3 });
    expect(sol.sample(key(2), 6, { height: 4, width: 4, channels: 3 }).applied).toEqual(params.applied);
    const out = sol.apply(x, params);
    const data = await x.data();
    const expected = Float32Array.from(data, (v, i) =>
      params.applied[Math.floor(i / 48)] === 1 && v >= 0.3 ? 1 - v : v,
    );
    await expectTensorClose(out, expected);
    tf.dispose([x, out]);
  });

  it('validates and does not leak', async () => {
    expect(() => solarize({ threshold: 1.5 })).toThrow(
      "solarize: 'threshold' is 1.5 but expected a finite number >= 0 and <= 1.",
    );
    expect(() => solarize({ p: Number.NaN })).toThrow(
      "solarize: 'p' is NaN but expected a finite number >= 0 and <= 1.",
    );
    const x = randomImages(3, [2, 3, 3, 1]);
    await expectNoLeaks(() => solarize({ p: 1 }).apply(x, { applied: Uint8Array.of(1, 1) }));
    x.dispose();
  });
});
