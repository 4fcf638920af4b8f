import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { type RandomResizedCropParams, randomResizedCrop } from './random-resized-crop';

/**
 * Naive crop-then-resize: source coordinate of output index `o` along an axis, half-pixel
 * `(o + 0.5) * len / n - 0.5` (torchvision's bilinear resize, antialias off) when downsampling or
 * keeping the size, corner-aligned `o * (len - 1) / (n - 1)` when upsampling; clamped into the crop.
 */
function source(o: number, len: number, n: number): number {
  const s = len >= n ? (o + 0.5) * (len / n) - 0.5 : n === 1 ? 0 : (o * (len - 1)) / (n - 1);
  return Math.min(Math.max(s, 0), len - 1);
}

async function naiveCrop(
  images: tf.Tensor4D,
  p: RandomResizedCropParams,
  outH: number,
  outW: number,
): Promise<Float32Array> {
  const img = await Img.of(images);
  const [B, , , C] = images.shape;
  const out = new Float32Array(B * outH * outW * C);
  for (let b = 0; b < B; b++) {
    const [top, left, h, w] = [p.top[b]!, p.left[b]!, p.height[b]!, p.width[b]!];
    for (let oy = 0; oy < outH; oy++) {
      const sy = source(oy, h, outH);
      const y0 = Math.floor(sy);
      const y1 = Math.min(y0 + 1, h - 1);
      const ly = sy - y0;
      for (let ox = 0; ox < outW; ox++) {
        const sx = source(ox, w, outW);
        const x0 = Math.floor(sx);
        const x1 = Math.min(x0 + 1, w - 1);
        const lx = sx - x0;
        for (let c = 0; c < C; c++) {
          const at = (y: number, x: number) => img.get(b, top + y, left + x, c);
          const v =
            (1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x1)) +
            ly * ((1 - lx) * at(y1, x0) + lx * at(y1, x1));
          out[((b * outH + oy) * outW + ox) * C + c] = v;
        }
      }
    }
  }
  return out;
}

describe('randomResizedCrop', () => {
  it('draws boxes inside the image with area and aspect in range (torchvision sampling)', () => {
    const crop = randomResizedCrop({ size: 8, scale: [0.2, 0.6], ratio: [0.5, 2] });
    const p = crop.sample(key(1), 300, { height: 40, width: 50, channels: 3 });
    expect(p.applied.every((a) => a === 1)).toBe(true);
    for (let b = 0; b < 300; b++) {
      const [t, l, h, w] = [p.top[b]!, p.left[b]!, p.height[b]!, p.width[b]!];
      expect(t >= 0 && l >= 0 && t + h <= 40 && l + w <= 50 && h > 0 && w > 0).toBe(true);
      // Rounding h and w to integers moves area and ratio a little: allow one pixel either way.
      expect((h + 1) * (w + 1)).toBeGreaterThanOrEqual(0.2 * 2000);
      expect((h - 1) * (w - 1)).toBeLessThanOrEqual(0.6 * 2000);
      expect((w + 1) / (h - 1)).toBeGreaterThanOrEqual(0.5);
      expect((w - 1) / (h + 1)).toBeLessThanOrEqual(2);
    }
    expect(p.imageHeight).toBe(40);
    expect(p.imageWidth).toBe(50);
  });

  it('falls back to the central crop when no attempt fits', () => {
    // An area of the whole image with aspect 4 never fits in a square. Fallback: the image ratio 1 is
    // below min(ratio) = 4, so w = 20, h = round(20 / 4) = 5, top = (20 - 5) // 2 = 7, left = 0.
    const crop = randomResizedCrop({ size: 4, scale: [1, 1], ratio: [4, 4] });
    const p = crop.sample(key(2), 3, { height: 20, width: 20, channels: 1 });
    expect([p.top[0], p.left[0], p.height[0], p.width[0]]).toEqual([7, 0, 5, 20]);
  });

  it('matches a naive crop + bilinear resize loop, down- and upsampling', async () => {
    const x = randomImages(3, [6, 12, 10, 3]);
    for (const [outH, outW, scale] of [
      [5, 4, [0.3, 1]],
      [16, 14, [0.08, 0.5]],
      [12, 10, [0.5, 1]],
    ] as const) {
      const crop = randomResizedCrop({ size: [outH, outW], scale: [...scale] });
      const params = crop.sample(key(4 + outH), 6, { height: 12, width: 10, channels: 3 });
      const out = crop.apply(x, params);
      expect(out.shape).toEqual([6, outH, outW, 3]);
      await expectTensorClose(out, await naiveCrop(x, params, outH, outW));
      out.dispose();
    }
    x.dispose();
  });

  it('never returns extrapolated pixels at the far edge (boxes touching the border)', async () => {
    // tf.image.cropAndResize fills points a rounding error past the last pixel centre with the
    // extrapolation value (0); a constant image must come out constant for every size pair.
    for (let H = 2; H <= 40; H += 3) {
      const ones = tf.ones([1, H, H, 1]) as tf.Tensor4D;
      for (let n = 2; n <= 40; n += 1) {
        const crop = randomResizedCrop({ size: n, p: 0 });
        const out = crop.apply(ones, crop.sample(key(0), 1, { height: H, width: H, channels: 1 }));
        expect(tf.min(out).dataSync()[0]).toBe(1);
        out.dispose();
      }
      ones.dispose();
    }
  });

  it('p = 0 resizes the whole image; at the same size that is the identity', async () => {
    const x = randomImages(5, [2, 7, 9, 1]);
    const crop = randomResizedCrop({ size: [7, 9], p: 0 });
    const params = crop.sample(key(6), 2, { height: 7, width: 9, channels: 1 });
    expect(Array.from(params.height)).toEqual([7, 7]);
    const out = crop.apply(x, params);
    await expectTensorClose(out, x);
    tf.dispose([x, out]);
  });

  it('is deterministic for a key', () => {
    const crop = randomResizedCrop({ size: 8 });
    const a = crop.sample(key(7), 5, { height: 30, width: 30, channels: 3 });
    const b = crop.sample(key(7), 5, { height: 30, width: 30, channels: 3 });
    expect(a).toEqual(b);
  });

  it('validates options, images and params', () => {
    expect(() => randomResizedCrop({ size: 0 })).toThrow(
      "randomResizedCrop: 'size' is 0 but expected an integer >= 1.",
    );
    expect(() => randomResizedCrop({ size: 8, scale: [0.9, 0.1] })).toThrow(
      "randomResizedCrop: 'scale' is [0.9,0.1] but expected [min, max] with 0 < min <= max <= 1.",
    );
    expect(() => randomResizedCrop({ size: 8, ratio: [0, 1] })).toThrow(ArgumentError);
    expect(() => randomResizedCrop({ size: 8, p: 2 })).toThrow(
      "randomResizedCrop: 'p' is 2 but expected a finite number >= 0 and <= 1.",
    );
    const crop = randomResizedCrop({ size: 4 });
    const x = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    expect(() => crop.apply(x, crop.sample(key(1), 2, { height: 9, width: 8, channels: 3 }))).toThrow(
      "randomResizedCrop: 'params' were sampled for 9x8 images but 'images' are 8x8; sample with the images' size.",
    );
    const rank3 = tf.zeros([8, 8, 3]);
    expect(() =>
      crop.apply(rank3 as tf.Tensor4D, crop.sample(key(1), 2, { height: 8, width: 8, channels: 3 })),
    ).toThrow(/randomResizedCrop: 'images' has shape \[8,8,3\] \(rank 3\).*add a batch dimension/);
    tf.dispose([x, rank3]);
  });

  it('does not leak', async () => {
    const x = randomImages(8, [2, 8, 8, 3]);
    const crop = randomResizedCrop({ size: 4 });
    await expectNoLeaks(() => crop.apply(x, crop.sample(key(9), 2, { height: 8, width: 8, channels: 3 })));
    x.dispose();
  });
});
