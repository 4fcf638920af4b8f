import { ArgumentError, createKey, ShapeError, uniform } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { depthMetrics } from './depth-metrics';

type Metrics = Record<'absRel' | 'sqRel' | 'rmse' | 'rmseLog' | 'a1' | 'a2' | 'a3', number>;

/** A naive float64 transcription of Monodepth2's evaluation loop (filter, median-scale, clamp, errors). */
function reference(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  batch: number,
  {
    minDepth,
    maxDepth,
    medianScaling,
    mask,
  }: { minDepth: number; maxDepth: number; medianScaling: boolean; mask?: ArrayLike<number> },
): Metrics & { ratios: number[] } {
  const per: Metrics[] = [];
  const ratios: number[] = [];
  const n = gt.length / batch;
  const npMedian = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const h = Math.floor(s.length / 2);
    return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  };
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (let b = 0; b < batch; b++) {
    const idx = [...Array(n).keys()]
      .map((i) => b * n + i)
      .filter((i) => gt[i]! > minDepth && gt[i]! < maxDepth && (mask === undefined || mask[i] !== 0));
    const g = idx.map((i) => gt[i]!);
    let p = idx.map((i) => pred[i]!);
    if (medianScaling) {
      const r = npMedian(g) / npMedian(p);
      ratios.push(r);
      p = p.map((v) => v * r);
    }
    p = p.map((v) => Math.min(maxDepth, Math.max(minDepth, v)));
    const thresh = g.map((t, j) => Math.max(t / p[j]!, p[j]! / t));
    per.push({
      absRel: mean(g.map((t, j) => Math.abs(t - p[j]!) / t)),
      sqRel: mean(g.map((t, j) => (t - p[j]!) ** 2 / t)),
      rmse: Math.sqrt(mean(g.map((t, j) => (t - p[j]!) ** 2))),
      rmseLog: Math.sqrt(mean(g.map((t, j) => (Math.log(t) - Math.log(p[j]!)) ** 2))),
      a1: mean(thresh.map((x) => (x < 1.25 ? 1 : 0))),
      a2: mean(thresh.map((x) => (x < 1.25 ** 2 ? 1 : 0))),
      a3: mean(thresh.map((x) => (x < 1.25 ** 3 ? 1 : 0))),
    });
  }
  const avg = (k: keyof Metrics) => mean(per.map((m) => m[k]));
  return {
    absRel: avg('absRel'),
    sqRel: avg('sqRel'),
    rmse: avg('rmse'),
    rmseLog: avg('rmseLog'),
    a1: avg('a1'),
    a2: avg('a2'),
    a3: avg('a3'),
    ratios,
  };
}

const KEYS = ['absRel', 'sqRel', 'rmse', 'rmseLog', 'a1', 'a2', 'a3'] as const;

function expectClose(actual: Partial<Metrics>, expected: Partial<Metrics>): void {
  for (const k of KEYS) {
    expect(actual[k], k).toBeCloseTo(expected[k]!, 10);
  }
}

describe('depthMetrics', () => {
  it('matches a naive float64 loop on random depths, with and without median scaling and a mask', async () => {
    // gt in [-5, 100): some pixels below minDepth and above maxDepth; pred in [-1, 60), some clamped.
    const gt = tf.tidy(() => tf.sub(tf.mul(uniform(createKey(1), [3, 6, 8, 1]), 105), 5));
    const pred = tf.tidy(() => tf.sub(tf.mul(uniform(createKey(2), [3, 6, 8, 1]), 61), 1));
    const mask = tf.tidy(() => tf.cast(tf.greater(uniform(createKey(3), [3, 6, 8, 1]), 0.3), 'float32'));
    const [p, g, m] = await Promise.all([pred.data(), gt.data(), mask.data()]);
    for (const medianScaling of [false, true]) {
      for (const withMask of [false, true]) {
        const options = { minDepth: 1e-3, maxDepth: 80, medianScaling, ...(withMask ? { mask } : {}) };
        const actual = await depthMetrics(pred, gt, options);
        const expected = reference(p, g, 3, {
          minDepth: 1e-3,
          maxDepth: 80,
          medianScaling,
          ...(withMask ? { mask: m! } : {}),
        });
        expectClose(actual, expected);
        if (medianScaling) {
          expect(actual.medianRatios).toHaveLength(3);
          for (const [i, r] of actual.medianRatios!.entries()) expect(r).toBeCloseTo(expected.ratios[i]!, 10);
        } else {
          expect(actual.medianRatios).toBeUndefined();
        }
      }
    }
    const narrow = await depthMetrics(pred, gt, { minDepth: 10, maxDepth: 50 });
    expectClose(narrow, reference(p, g, 3, { minDepth: 10, maxDepth: 50, medianScaling: false }));
    tf.dispose([gt, pred, mask]);
  });

  it('hand cases: pred = gt gives zero errors and a1 = 1; pred = 2 gt gives absRel 1, and 0 after median scaling', async () => {
    const gt = tf.tensor4d([1, 2, 4, 8, 16, 32], [2, 1, 3, 1]);
    const same = await depthMetrics(gt, gt);
    expect(same).toEqual({ absRel: 0, sqRel: 0, rmse: 0, rmseLog: 0, a1: 1, a2: 1, a3: 1 });
    const twice = tf.mul(gt, 2);
    const doubled = await depthMetrics(twice, gt);
    expect(doubled.absRel).toBeCloseTo(1, 12);
    expect(doubled.rmseLog).toBeCloseTo(Math.LN2, 12);
    expect([doubled.a1, doubled.a2, doubled.a3]).toEqual([0, 0, 0]); // ratio 2 > 1.25, 1.5625, 1.953125
    // sqRel = mean(gt) per image: (7/3 + 56/3) / 2; rmse = sqrt(mean(gt^2)) per image
    expect(doubled.sqRel).toBeCloseTo((7 / 3 + 56 / 3) / 2, 12);
    expect(doubled.rmse).toBeCloseTo((Math.sqrt(21 / 3) + Math.sqrt(1344 / 3)) / 2, 12);
    const scaled = await depthMetrics(twice, gt, { medianScaling: true });
    expect(scaled).toMatchObject({ absRel: 0, sqRel: 0, rmse: 0, rmseLog: 0, a1: 1 });
    expect(scaled.medianRatios).toEqual([0.5, 0.5]);
    // Clamping: a prediction of 1000 counts as maxDepth (80).
    const far = await depthMetrics(tf.fill([1, 1, 1, 1], 1000), tf.fill([1, 1, 1, 1], 40));
    expect(far.absRel).toBeCloseTo(1, 12);
    tf.dispose([gt, twice]);
  });

  it('creates no tensors and leaves its inputs alive', async () => {
    const gt = tf.fill([1, 2, 2, 1], 3);
    const before = tf.memory().numTensors;
    await depthMetrics(gt, gt, { medianScaling: true, mask: tf.ones([1, 2, 2, 1]) });
    expect(tf.memory().numTensors).toBe(before + 1); // the mask made for the call
    gt.dispose();
  });

  it('throws typed errors for mismatched shapes, bad options and images without valid pixels', async () => {
    const a = tf.ones([2, 4, 4, 1]);
    const b = tf.ones([2, 4, 5, 1]);
    await expect(depthMetrics(a, b)).rejects.toSatisfy(ShapeError.isInstance);
    await expect(depthMetrics(tf.ones([4, 4, 1]), tf.ones([4, 4, 1]))).rejects.toSatisfy(
      ShapeError.isInstance,
    );
    await expect(depthMetrics(a, a, { mask: tf.ones([1, 4, 4, 1]) })).rejects.toSatisfy(
      ShapeError.isInstance,
    );
    await expect(depthMetrics(a, a, { minDepth: 0 })).rejects.toThrow(
      "depthMetrics: 'minDepth' is 0 but expected a finite number > 0.",
    );
    await expect(depthMetrics(a, a, { maxDepth: 1e-4 })).rejects.toSatisfy(ArgumentError.isInstance);
    const gt = tf.tensor4d([5, 5, 5, 5, 0, 0, 100, 0], [2, 2, 2, 1]);
    await expect(depthMetrics(tf.ones([2, 2, 2, 1]), gt)).rejects.toThrow(
      'depthMetrics: image 1 has no valid pixels (gt in (0.001, 80)); every image needs at least one.',
    );
    await expect(
      depthMetrics(tf.zeros([1, 2, 2, 1]), gt.slice([0], [1]), { medianScaling: true }),
    ).rejects.toThrow(
      'depthMetrics: the median prediction of image 0 is 0; median scaling needs a positive median over the valid pixels.',
    );
    tf.dispose([a, b, gt]);
  });
});
