import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { normalMetrics } from './normal-metrics';

/** One row of pixels: gt = (0, 0, 1), pred rotated from it by each angle (degrees) about the x axis. */
function rotatedPairs(degrees: number[]): { pred: tf.Tensor4D; gt: tf.Tensor4D } {
  const rad = degrees.map((d) => (d * Math.PI) / 180);
  const pred = tf.tensor4d(
    rad.flatMap((t) => [0, Math.sin(t), Math.cos(t)]),
    [1, 1, degrees.length, 3],
  );
  const gt = tf.tensor4d(
    degrees.flatMap(() => [0, 0, 1]),
    [1, 1, degrees.length, 3],
  );
  return { pred, gt };
}

describe('normalMetrics', () => {
  it('gives mean, median and the within-t shares of a known set of angles', async () => {
    const { pred, gt } = rotatedPairs([0, 10, 20, 45, 90]);
    const m = await normalMetrics(pred, gt);
    // mean (0 + 10 + 20 + 45 + 90) / 5 = 33, median 20; < 11.25: 0 and 10; < 22.5 and < 30: also 20.
    expect(m.count).toBe(5);
    expect(m.mean).toBeCloseTo(33, 4);
    expect(m.median).toBeCloseTo(20, 4);
    expect(m.within11_25).toBeCloseTo(40, 10);
    expect(m.within22_5).toBeCloseTo(60, 10);
    expect(m.within30).toBeCloseTo(60, 10);
    tf.dispose([pred, gt]);
  });

  it('counts only valid pixels; an even count takes the mean of the two middle values', async () => {
    const { pred, gt } = rotatedPairs([0, 10, 90, 25, 45, 60]);
    const valid = tf.tensor4d([1, 1, 0, 1, 1, 0], [1, 1, 6, 1]); // keeps 0, 10, 25, 45
    const m = await normalMetrics(pred, gt, { valid });
    expect(m.count).toBe(4);
    expect(m.mean).toBeCloseTo(20, 4); // 80 / 4
    expect(m.median).toBeCloseTo(17.5, 4); // (10 + 25) / 2
    expect(m.within11_25).toBeCloseTo(50, 10);
    expect(m.within22_5).toBeCloseTo(50, 10);
    expect(m.within30).toBeCloseTo(75, 10);
    // Bool and int32 masks mean the same.
    const asBool = tf.cast(valid, 'bool');
    expect(await normalMetrics(pred, gt, { valid: asBool })).toEqual(m);
    tf.dispose([pred, gt, valid, asBool]);
  });

  it('pools pixels over the batch (not a mean of per-image means)', async () => {
    // Image 0: one pixel at 90°; image 1: three pixels at 0°. Pooled mean 22.5 (a per-image mean would be 45).
    const pred = tf.tensor4d([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], [2, 1, 3, 3]);
    const gt = tf.tensor4d([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], [2, 1, 3, 3]);
    const valid = tf.tensor4d([1, 0, 0, 1, 1, 1], [2, 1, 3, 1]);
    const m = await normalMetrics(pred, gt, { valid });
    expect(m.count).toBe(4);
    expect(m.mean).toBeCloseTo(22.5, 4);
    expect(m.median).toBeCloseTo(0, 4);
    tf.dispose([pred, gt, valid]);
  });

  it('leaks nothing and names bad arguments', async () => {
    const { pred, gt } = rotatedPairs([0, 10]);
    await expectNoLeaks(() => normalMetrics(pred, gt));
    const before = tf.memory().numTensors;
    const wrong = tf.zeros([1, 1, 2, 2]);
    await expect(normalMetrics(pred, wrong as tf.Tensor4D)).rejects.toThrow(ShapeError);
    const badMask = tf.ones([1, 2, 1, 1]);
    await expect(normalMetrics(pred, gt, { valid: badMask })).rejects.toThrow(
      "normalMetrics: 'valid' has shape [1,2,1,1] but 'pred' has [1,1,2,3]; 'H' must be the same size in both (1 vs 2).",
    );
    const none = tf.zeros([1, 1, 2, 1]);
    await expect(normalMetrics(pred, gt, { valid: none })).rejects.toThrow(ArgumentError);
    await expect(normalMetrics(pred, gt, { valid: none })).rejects.toThrow(
      "normalMetrics: 'valid' marks no pixel as valid (value > 0.5); the metrics need at least one.",
    );
    await expect(normalMetrics(pred, gt, { mask: none } as never)).rejects.toThrow("unknown key 'mask'");
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([pred, gt, wrong, badMask, none]);
  });
});
