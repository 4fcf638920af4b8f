import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { randomErasing } from './random-erasing';

describe('randomErasing', () => {
  it('fills one box per chosen sample with the value (naive loop), boxes strictly inside', async () => {
    const x = randomImages(1, [8, 10, 12, 3]);
    const erase = randomErasing({ p: 0.5, value: [0.1, 0.2, 0.3] });
    const params = erase.sample(key(2), 8, { height: 10, width: 12, channels: 3 });
    expect(params.applied.includes(0) && params.applied.includes(1)).toBe(true);
    const out = erase.apply(x, params);
    const img = await Img.of(x);
    for (let b = 0; b < 8; b++) {
      if (params.applied[b] !== 1) {
        expect(params.height[b]).toBe(0);
        continue;
      }
      const [t, l, h, w] = [params.top[b]!, params.left[b]!, params.height[b]!, params.width[b]!];
      expect(h > 0 && w > 0 && h < 10 && w < 12 && t + h <= 10 && l + w <= 12).toBe(true);
      for (let y = t; y < t + h; y++)
        for (let xx = l; xx < l + w; xx++)
          for (let c = 0; c < 3; c++) img.set(b, y, xx, c, [0.1, 0.2, 0.3][c]!);
    }
    await expectTensorClose(out, img.data, { rtol: 0, atol: 0 });
    tf.dispose([x, out]);
  });

  it('draws box areas in the scale range and is deterministic', () => {
    const erase = randomErasing({ p: 1, scale: [0.1, 0.2] });
    const params = erase.sample(key(3), 100, { height: 40, width: 40, channels: 1 });
    for (let b = 0; b < 100; b++) {
      if (params.applied[b] !== 1) continue;
      const area = params.height[b]! * params.width[b]!;
      expect(area).toBeGreaterThan(0.1 * 1600 * 0.7);
      expect(area).toBeLessThan(0.2 * 1600 * 1.3);
    }
    expect(erase.sample(key(3), 100, { height: 40, width: 40, channels: 1 })).toEqual(params);
  });

  it('validates and does not leak', async () => {
    expect(() => randomErasing({ scale: [0, 0.3] })).toThrow(
      "randomErasing: 'scale' is [0,0.3] but expected [min, max] with 0 < min <= max <= 1.",
    );
    const erase = randomErasing({ p: 1, value: [0, 1] });
    const x = randomImages(4, [2, 8, 8, 3]);
    expect(() => erase.apply(x, erase.sample(key(5), 2, { height: 8, width: 8, channels: 3 }))).toThrow(
      "randomErasing: 'value' has 2 entries but 'images' have 3 channels; give one number or one per channel.",
    );
    const ok = randomErasing({ p: 1 });
    await expectNoLeaks(() => ok.apply(x, ok.sample(key(5), 2, { height: 8, width: 8, channels: 3 })));
    x.dispose();
  });
});
