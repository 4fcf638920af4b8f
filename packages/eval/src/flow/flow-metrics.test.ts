import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flowMetrics } from './flow-metrics';

/** One row of pixels: pred and gt given as (u, v) pairs. */
const row = (pairs: number[][]) => tf.tensor4d(pairs.flat(), [1, 1, pairs.length, 2]);

describe('flowMetrics', () => {
  it('computes EPE, Fl and the accuracies of a hand-derived case', async () => {
    // Six pixels; gt, pred, EPE, outlier (EPE > 3 and > 5% of |gt|):
    //   (0, 0)    (0.5, 0)  0.5  no
    //   (10, 0)   (12, 0)   2    no  (< 3 px)
    //   (0, 0)    (3, 0)    3    no  (3 is not > 3)
    //   (100, 0)  (104, 0)  4    no  (4 < 5% of 100)
    //   (30, 40)  (34, 43)  5    yes (> 3 and 5 > 2.5)
    //   (0, 8)    (6, 0)    10   yes
    const gt = row([
      [0, 0],
      [10, 0],
      [0, 0],
      [100, 0],
      [30, 40],
      [0, 8],
    ]);
    const pred = row([
      [0.5, 0],
      [12, 0],
      [3, 0],
      [104, 0],
      [34, 43],
      [6, 0],
    ]);
    const occluded = tf.tensor4d([0, 0, 1, 0, 1, 0], [1, 1, 6, 1]);
    const m = await flowMetrics(pred, gt, { occluded });
    expect(m.count).toBe(6);
    expect(m.nocCount).toBe(4);
    expect(m.occCount).toBe(2);
    expect(m.epeAll).toBeCloseTo(24.5 / 6, 5);
    expect(m.epeNoc).toBeCloseTo(16.5 / 4, 5); // 0.5 + 2 + 4 + 10
    expect(m.epeOcc).toBeCloseTo(4, 5); // (3 + 5) / 2
    expect(m.fl).toBeCloseTo(2 / 6, 10);
    expect(m.acc1).toBeCloseTo(1 / 6, 10); // 0.5
    expect(m.acc3).toBeCloseTo(2 / 6, 10); // 0.5, 2 (3 is not < 3)
    expect(m.acc5).toBeCloseTo(4 / 6, 10); // 0.5, 2, 3, 4
    // With a validity mask that drops the last two pixels: every share is over the 4 kept.
    const valid = tf.tensor4d([1, 1, 1, 1, 0, 0], [1, 1, 6, 1]);
    const v = await flowMetrics(pred, gt, { occluded, valid });
    expect([v.count, v.nocCount, v.occCount]).toEqual([4, 3, 1]);
    expect(v.epeAll).toBeCloseTo(9.5 / 4, 5);
    expect(v.epeNoc).toBeCloseTo(6.5 / 3, 5);
    expect(v.epeOcc).toBeCloseTo(3, 5);
    expect(v.fl).toBe(0);
    expect(v.acc5).toBe(1);
    tf.dispose([gt, pred, occluded, valid]);
  });

  it('without an occlusion mask every valid pixel is non-occluded and epeOcc is NaN', async () => {
    const gt = row([
      [1, 1],
      [2, 2],
    ]);
    const pred = row([
      [1, 2],
      [2, 5],
    ]);
    const m = await flowMetrics(pred, gt);
    expect(m.epeAll).toBeCloseTo(2, 6);
    expect(m.epeNoc).toBeCloseTo(2, 6);
    expect(m.epeOcc).toBeNaN();
    expect(m.occCount).toBe(0);
    expect(m.acc1).toBe(0);
    expect(m.acc3).toBe(0.5);
    tf.dispose([gt, pred]);
  });

  it('pools pixels over the batch', async () => {
    // Image 0: one valid pixel with EPE 10; image 1: three with EPE 0 -> 2.5 (not mean of means, 5).
    const gt = tf.zeros([2, 1, 3, 2]) as tf.Tensor4D;
    const pred = tf.tensor4d([10, 0, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0], [2, 1, 3, 2]);
    const valid = tf.tensor4d([1, 0, 0, 1, 1, 1], [2, 1, 3, 1]);
    const m = await flowMetrics(pred, gt, { valid });
    expect(m.epeAll).toBeCloseTo(2.5, 6);
    expect(m.fl).toBeCloseTo(0.25, 10);
    tf.dispose([gt, pred, valid]);
  });

  it('leaks nothing and names bad arguments', async () => {
    const gt = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    const pred = tf.ones([1, 2, 2, 2]) as tf.Tensor4D;
    await expectNoLeaks(() => flowMetrics(pred, gt));
    const before = tf.memory().numTensors;
    const wide = tf.zeros([1, 2, 2, 3]);
    await expect(flowMetrics(pred, wide as tf.Tensor4D)).rejects.toThrow(
      "flowMetrics: 'gt' has shape [1,2,2,3] but expected [B,H,W,2].",
    );
    const badOcc = tf.zeros([2, 2, 2, 1]);
    await expect(flowMetrics(pred, gt, { occluded: badOcc })).rejects.toThrow(ShapeError);
    await expect(flowMetrics(pred, gt, { occluded: badOcc })).rejects.toThrow("flowMetrics: 'occluded'");
    const noneValid = tf.zeros([1, 2, 2, 1]);
    await expect(flowMetrics(pred, gt, { valid: noneValid })).rejects.toThrow(ArgumentError);
    await expect(flowMetrics(pred, gt, { mask: noneValid } as never)).rejects.toThrow("unknown key 'mask'");
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([gt, pred, wide, badOcc, noneValid]);
  });
});
