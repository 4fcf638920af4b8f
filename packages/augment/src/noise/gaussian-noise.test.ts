import { foldIn, normalValues } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { gaussianNoise } from './gaussian-noise';

describe('gaussianNoise', () => {
  it('adds std * z from the params key, clipped to [0, 1], to the chosen samples only', async () => {
    const x = randomImages(1, [6, 4, 5, 3]);
    const noise = gaussianNoise({ std: [0.05, 0.3], p: 0.5 });
    const params = noise.sample(key(2), 6, { height: 4, width: 5, channels: 3 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = noise.apply(x, params);
    const data = await x.data();
    const expected = Float32Array.from(data);
    for (let b = 0; b < 6; b++) {
      if (params.applied[b] !== 1) continue;
      const z = normalValues(foldIn(params.noiseKey, b), 60);
      for (let i = 0; i < 60; i++)
        expected[b * 60 + i] = Math.min(1, Math.max(0, data[b * 60 + i]! + params.std[b]! * z[i]!));
    }
    await expectTensorClose(out, expected);
    tf.dispose([x, out]);
  });

  it('has the requested spread on a mid-grey image, and is deterministic', async () => {
    const x = tf.fill([2, 16, 16, 1], 0.5) as tf.Tensor4D;
    const noise = gaussianNoise({ std: 0.1, p: 1 });
    const params = noise.sample(key(3), 2, { height: 16, width: 16, channels: 1 });
    const out = noise.apply(x, params);
    const values = Array.from(await out.data());
    const mean = values.reduce((a, v) => a + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(sd).toBeGreaterThan(0.085);
    expect(sd).toBeLessThan(0.115);
    const again = noise.apply(x, noise.sample(key(3), 2, { height: 16, width: 16, channels: 1 }));
    await expectTensorClose(again, out, { rtol: 0, atol: 0 });
    tf.dispose([x, out, again]);
  });

  it('validates and does not leak', async () => {
    expect(() => gaussianNoise({ std: -0.1 })).toThrow(
      "gaussianNoise: 'std' is -0.1 but expected a finite number >= 0.",
    );
    expect(() => gaussianNoise({ p: 7 })).toThrow(
      "gaussianNoise: 'p' is 7 but expected a finite number >= 0 and <= 1.",
    );
    const x = randomImages(4, [2, 3, 3, 1]);
    const noise = gaussianNoise({ p: 1 });
    await expectNoLeaks(() => noise.apply(x, noise.sample(key(5), 2, { height: 3, width: 3, channels: 1 })));
    x.dispose();
  });
});
