import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { maskAgreement } from './mask-agreement';

const mask = (values: number[]) => tf.tensor4d(values, [1, 2, values.length / 2, 1]);

describe('maskAgreement', () => {
  it('counts TP, FP, FN and derives precision, recall, F1 and IoU', async () => {
    // predicted 1 1 1 0 0 0 1 0; truth 1 1 0 1 0 0 0 0 -> TP 2, FP 2, FN 1.
    const predicted = mask([1, 1, 1, 0, 0, 0, 1, 0]);
    const truth = mask([1, 1, 0, 1, 0, 0, 0, 0]);
    const m = await maskAgreement(predicted, truth);
    expect([m.truePositives, m.falsePositives, m.falseNegatives, m.count]).toEqual([2, 2, 1, 8]);
    expect(m.precision).toBeCloseTo(0.5, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(4 / 7, 12); // 2·0.5·(2/3) / (0.5 + 2/3)
    expect(m.iou).toBeCloseTo(0.4, 12);
    // Dropping the two false positives with the validity mask: precision 1.
    const valid = mask([1, 1, 0, 1, 1, 1, 0, 1]);
    const v = await maskAgreement(predicted, truth, { valid });
    expect([v.precision, v.recall, v.count]).toEqual([1, 2 / 3, 6]);
    // A bool prediction and an int32 truth read the same.
    const asBool = tf.cast(predicted, 'bool');
    const asInt = tf.cast(truth, 'int32');
    expect(await maskAgreement(asBool, asInt)).toEqual(m);
    tf.dispose([predicted, truth, valid, asBool, asInt]);
  });

  it('gives NaN for a ratio with nothing to count', async () => {
    const none = mask([0, 0, 0, 0]);
    const some = mask([0, 1, 0, 0]);
    const m = await maskAgreement(none, some);
    expect(m.precision).toBeNaN(); // nothing predicted
    expect(m.recall).toBe(0);
    expect(m.iou).toBe(0);
    const empty = await maskAgreement(none, none);
    expect([empty.precision, empty.recall, empty.f1, empty.iou].every(Number.isNaN)).toBe(true);
    tf.dispose([none, some]);
  });

  it('leaks nothing and names bad arguments', async () => {
    const a = mask([1, 0, 1, 0]);
    await expectNoLeaks(() => maskAgreement(a, a));
    const wide = tf.zeros([1, 2, 2, 2]);
    await expect(maskAgreement(a, wide)).rejects.toThrow(ShapeError);
    await expect(maskAgreement(a, wide)).rejects.toThrow(
      "maskAgreement: 'truth' has shape [1,2,2,2] but expected [B,H,W,1].",
    );
    const zero = mask([0, 0, 0, 0]);
    await expect(maskAgreement(a, a, { valid: zero })).rejects.toThrow(ArgumentError);
    tf.dispose([a, wide, zero]);
  });
});
