import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/config/train-config';
import { evaluateSceneFlow, sceneFlowFields } from '../src/scene-flow/evaluate-scene-flow';
import {
  checkStereoVideoData,
  sceneFlowEvalSet,
  syntheticStereoVideoData,
} from '../src/scene-flow/scene-flow-data';
import {
  balanceLosses,
  depthFromDisparity,
  disocclusionMask,
  halvesMaskedMean,
  sceneFlowGeometry,
  sceneFlowLevelLoss,
  stereoInViewMask,
} from '../src/scene-flow/scene-flow-losses';

/** Intrinsics `[B, 3, 3]` with focal `f` and principal point `(cx, cy)`. */
const intrinsics = (batch: number, f: number, cx: number, cy: number) =>
  tf.tensor3d(Array.from({ length: batch }, () => [f, 0, cx, 0, f, cy, 0, 0, 1]).flat(), [batch, 3, 3]);

describe('sceneFlowGeometry', () => {
  it('lifts width-fraction disparities to depth fx·b/(d·W) and projects the moved points (hand-derived)', async () => {
    // W = 8, d = 0.25 -> 2 px; fx = 4, b = 0.5 -> depth = 4 · 0.5 / 2 = 1.
    const K = intrinsics(1, 4, 3.5, 1.5);
    const disparity = tf.fill([1, 4, 8, 1], 0.25) as tf.Tensor4D;
    const depth = depthFromDisparity(disparity, K, 0.5);
    await expectTensorClose(depth, tf.ones([1, 4, 8, 1]));
    // A pure sideways motion dX = 0.25 at depth 1 moves every pixel by fx · dX / Z = 1 px to the right.
    const sceneFlow = tf.tensor4d(Array.from({ length: 32 }, () => [0.25, 0, 0]).flat(), [1, 4, 8, 3]);
    const g = sceneFlowGeometry(disparity, sceneFlow, K, 0.5);
    const flow = await g.flow.data();
    for (let i = 0; i < 32; i++) {
      expect(flow[2 * i]).toBeCloseTo(1, 5);
      expect(flow[2 * i + 1]).toBeCloseTo(0, 5);
    }
    // Pixel (x = 5, y = 3): P = (x - cx, y - cy, f) · Z / f = (0.375, 0.375, 1).
    const p = await g.points.data();
    const at = (3 * 8 + 5) * 3;
    expect([p[at], p[at + 1], p[at + 2]].map((v) => Number(v!.toFixed(5)))).toEqual([0.375, 0.375, 1]);
    // Moving away (dZ = 1 at Z = 1) halves every offset from the principal point.
    const away = tf.tensor4d(Array.from({ length: 32 }, () => [0, 0, 1]).flat(), [1, 4, 8, 3]);
    const h = sceneFlowGeometry(disparity, away, K, 0.5);
    const coords = await h.coords.data();
    expect(coords[2 * (3 * 8 + 5)]).toBeCloseTo(3.5 + (5 - 3.5) / 2, 5);
    expect(coords[2 * (3 * 8 + 5) + 1]).toBeCloseTo(1.5 + (3 - 1.5) / 2, 5);
    tf.dispose([K, disparity, depth, sceneFlow, away, ...Object.values(g), ...Object.values(h)]);
  });

  it('has gradients that match central differences in the disparity and the scene flow', async () => {
    const K = intrinsics(1, 5, 2, 1.5);
    const disparity = tf.tensor4d(
      Array.from({ length: 12 }, (_, i) => 0.2 + 0.02 * i),
      [1, 3, 4, 1],
    );
    const sceneFlow = tf.tensor4d(
      Array.from({ length: 36 }, (_, i) => 0.05 * Math.sin(i)),
      [1, 3, 4, 3],
    );
    const weights = tf.tensor4d(
      Array.from({ length: 24 }, (_, i) => Math.cos(i)),
      [1, 3, 4, 2],
    );
    const report = await gradCheck(
      (d, s) => tf.sum(tf.mul(sceneFlowGeometry(d as tf.Tensor4D, s as tf.Tensor4D, K, 0.5).flow, weights)),
      [disparity, sceneFlow],
      { eps: 1e-3, rtol: 2e-2, atol: 2e-3 },
    );
    expect(report.checked).toBe(48);
    tf.dispose([K, disparity, sceneFlow, weights]);
  });

  it('throws typed errors for mismatched shapes and a bad baseline, and leaks nothing', async () => {
    const K = intrinsics(1, 4, 1, 1);
    const d = tf.fill([1, 2, 2, 1], 0.1) as tf.Tensor4D;
    const s = tf.zeros([1, 2, 3, 3]) as tf.Tensor4D;
    expect(() => sceneFlowGeometry(d, s, K, 0.5)).toThrow(ShapeError);
    const s2 = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => sceneFlowGeometry(d, s2, K, 0)).toThrow(ArgumentError);
    expect(() => sceneFlowGeometry(d, s2, K, 0)).toThrow(/baseline/);
    await expectNoLeaks(() => sceneFlowGeometry(d, s2, K, 0.5));
    tf.dispose([K, d, s, s2]);
  });
});

describe('disocclusionMask', () => {
  const row = (values: number[]) =>
    tf.tensor4d(
      values.flatMap((u) => [u, 0]),
      [1, 1, values.length, 2],
    );

  it('keeps every pixel under zero flow', async () => {
    const flow = row([0, 0, 0, 0]);
    await expectTensorClose(disocclusionMask(flow), tf.ones([1, 1, 4, 1]));
    flow.dispose();
  });

  it('marks the pixels no splat reaches (hand-derived one-pixel and half-pixel shifts)', async () => {
    // Every pixel of the other frame moves 1 px right: pixel 0 receives nothing.
    const one = row([1, 1, 1, 1]);
    expect(Array.from(await disocclusionMask(one).data())).toEqual([0, 1, 1, 1]);
    // Half a pixel: pixel 0 receives 0.5 (not > 0.5), the others 1.
    const half = row([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(await disocclusionMask(half).data())).toEqual([0, 1, 1, 1]);
    // Two pixels converge on pixel 2 (mass 2), pixels 0 and 1 receive nothing; 3 keeps its own.
    const converge = row([2, 1, 0, 0]);
    expect(Array.from(await disocclusionMask(converge).data())).toEqual([0, 0, 1, 1]);
    tf.dispose([one, half, converge]);
  });

  it('falls back to all ones when fewer than half the pixels are kept (per image), with no gradient', async () => {
    const far = row([3, 3, 3, 3]); // only pixel 3 receives: 1/4 kept
    expect(Array.from(await disocclusionMask(far).data())).toEqual([1, 1, 1, 1]);
    // A constant to the tape (as `.detach()`): no path from the flow to the mask.
    expect(() => tf.grads((f: tf.Tensor) => tf.sum(disocclusionMask(f as tf.Tensor4D)))([far])).toThrow(
      /Cannot compute gradient/,
    );
    far.dispose();
    await expectNoLeaks(() => {
      const f = row([1, 1, 1, 1]);
      const m = disocclusionMask(f);
      f.dispose();
      return m;
    });
  });

  it('throws a ShapeError for a map that is not [B, H, W, 2]', () => {
    const bad = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => disocclusionMask(bad)).toThrow(ShapeError);
    bad.dispose();
  });
});

describe('stereoInViewMask and halvesMaskedMean', () => {
  it('keeps the left pixels whose match x - d·W is inside the right image', async () => {
    // W = 4, d = 0.5 -> 2 px: x = 0, 1 match at -2, -1 (out), x = 2, 3 at 0, 1 (in).
    const d = tf.fill([1, 1, 4, 1], 0.5) as tf.Tensor4D;
    expect(Array.from(await stereoInViewMask(d).data())).toEqual([0, 0, 1, 1]);
    d.dispose();
  });

  it("adds the two halves' masked means (hand-derived)", async () => {
    const values = tf.tensor4d([1, 2, 3, 4, 10, 20, 30, 40], [2, 1, 4, 1]);
    const mask = tf.tensor4d([1, 1, 0, 0, 0, 0, 0, 1], [2, 1, 4, 1]);
    // (1 + 2) / 2 + 40 / 1 = 41.5
    expect((await halvesMaskedMean(values, mask).data())[0]).toBeCloseTo(41.5, 5);
    tf.dispose([values, mask]);
  });
});

describe('balanceLosses', () => {
  it("scales both parts to the larger one's size without a gradient through the scale (self-mono-sf)", async () => {
    const a = tf.scalar(2);
    const b = tf.scalar(0.5);
    const value = balanceLosses(a, b, 'dynamic');
    expect((await value.data())[0]).toBeCloseTo(4, 5); // 2 · 2/2 + 0.5 · 2/0.5
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
      balanceLosses(x as tf.Scalar, y as tf.Scalar, 'dynamic'),
    )([a, b]);
    expect((await ga!.data())[0]).toBeCloseTo(1, 5); // m / a
    expect((await gb!.data())[0]).toBeCloseTo(4, 5); // m / b
    expect((await balanceLosses(a, b, 'static').data())[0]).toBeCloseTo(2.5, 5);
    tf.dispose([a, b, value, ga!, gb!]);
  });
});

describe('sceneFlowLevelLoss', () => {
  /** Textured frames `[2B, H, W, 3]` where both halves (frame 1 and frame 2) are the same picture. */
  const still = (height: number, width: number) => {
    const values: number[] = [];
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        values.push(0.5 + 0.4 * Math.sin(x + 2 * y), 0.5 + 0.3 * Math.cos(3 * x - y), 0.5);
    const one = tf.tensor4d(values, [1, height, width, 3]);
    const both = tf.concat([one, one], 0) as tf.Tensor4D;
    one.dispose();
    return both;
  };

  it('is zero for the point and smoothness terms of a static scene with constant disparity', async () => {
    const left = still(8, 8);
    const disparity = tf.fill([2, 8, 8, 1], 0.1) as tf.Tensor4D;
    const sceneFlow = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    const K = intrinsics(2, 6, 3.5, 3.5);
    const terms = sceneFlowLevelLoss({ left, right: left, disparity, sceneFlow, K }, 0, 0.4);
    expect((await terms.points.data())[0]).toBeCloseTo(0, 4);
    expect((await terms.smoothness3d.data())[0]).toBeCloseTo(0, 6);
    // Frame 2 equals frame 1 and nothing moves: the temporal reconstruction is exact.
    expect((await terms.flowPhotometric.data())[0]).toBeCloseTo(0, 4);
    expect((await terms.visible.data())[0]).toBeGreaterThan(0.5);
    tf.dispose([left, disparity, sceneFlow, K, ...Object.values(terms)]);
  });

  it('has a point term whose gradient in the scene flow matches central differences', async () => {
    const left = still(6, 6);
    const disparity = tf.tensor4d(
      Array.from({ length: 72 }, (_, i) => 0.15 + 0.01 * Math.sin(i)),
      [2, 6, 6, 1],
    );
    const sceneFlow = tf.tensor4d(
      Array.from({ length: 216 }, (_, i) => 0.03 * Math.cos(i)),
      [2, 6, 6, 3],
    );
    const K = intrinsics(2, 5, 2.5, 2.5);
    await gradCheck(
      (s) => {
        const t = sceneFlowLevelLoss(
          { left, right: left, disparity, sceneFlow: s as tf.Tensor4D, K },
          0,
          0.4,
        );
        const { points } = t;
        tf.dispose(Object.values(t).filter((x) => x !== points));
        return points;
      },
      [sceneFlow],
      { eps: 1e-3, rtol: 5e-2, atol: 2e-3, maxEntries: 12 },
    );
    tf.dispose([left, disparity, sceneFlow, K]);
  });

  it('throws typed errors for an odd batch or mismatched maps, and leaks nothing', async () => {
    const left = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const d = tf.fill([1, 4, 4, 1], 0.1) as tf.Tensor4D;
    const s = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const K = intrinsics(1, 4, 1.5, 1.5);
    expect(() => sceneFlowLevelLoss({ left, right: left, disparity: d, sceneFlow: s, K }, 0, 0.4)).toThrow(
      /must be even/,
    );
    const wrong = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() =>
      sceneFlowLevelLoss({ left, right: left, disparity: d, sceneFlow: wrong, K }, 0, 0.4),
    ).toThrow(ShapeError);
    tf.dispose([left, d, s, K, wrong]);
    const l2 = still(4, 4);
    const d2 = tf.fill([2, 4, 4, 1], 0.1) as tf.Tensor4D;
    const s2 = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const K2 = intrinsics(2, 4, 1.5, 1.5);
    await expectNoLeaks(() =>
      sceneFlowLevelLoss({ left: l2, right: l2, disparity: d2, sceneFlow: s2, K: K2 }, 1, 0.4),
    );
    tf.dispose([l2, d2, s2, K2]);
  });
});

describe('scene-flow options and data checks', () => {
  it('name the bad option', () => {
    expect(() =>
      resolveTrainConfig({ method: { name: 'sceneflow', levelWeights: [1, 1, 1, 1, 1] } }),
    ).toThrow(/method\.levelWeights/);
    expect(() => resolveTrainConfig({ method: { name: 'sceneflow', height: 60 } })).toThrow(/method\.height/);
    expect(() => resolveTrainConfig({ method: { name: 'sceneflow', balance: 'auto' } })).toThrow(
      ArgumentError,
    );
  });

  it('reject data that is not stereo video of the right size', () => {
    const settings = { height: 64, width: 128, batchSize: 4 };
    expect(() =>
      checkStereoVideoData(settings, { kind: 'stereo-pairs', height: 64, width: 128 }, 'fit'),
    ).toThrow(/stereo video/);
    expect(() =>
      checkStereoVideoData(settings, { kind: 'stereo-video', height: 32, width: 128, size: 8 }, 'fit'),
    ).toThrow(/32x128/);
    expect(() =>
      checkStereoVideoData(settings, { kind: 'stereo-video', height: 64, width: 128, size: 2 }, 'fit'),
    ).toThrow(ArgumentError);
  });
});

describe('scene-flow data and evaluation', () => {
  const settings = {
    seed: 3,
    batchSize: 2,
    height: 32,
    width: 32,
    poolSize: 2,
    samples: 1,
    movingObjects: 1,
  };

  it('gives stereo-video batches from a fixed pool, the same for the same seed', async () => {
    const data = syntheticStereoVideoData(settings);
    expect(data.kind).toBe('stereo-video');
    expect(data.size).toBe(2);
    const a = data.examples([0, 1]);
    const b = syntheticStereoVideoData(settings).examples([0, 1]);
    for (const name of ['left1', 'right1', 'left2', 'right2'] as const) {
      expect(a[name].shape).toEqual([2, 32, 32, 3]);
      expect(Array.from(await a[name].data())).toEqual(Array.from(await b[name].data()));
    }
    expect(a.K.shape).toEqual([2, 3, 3]);
    tf.dispose([...Object.values(a), ...Object.values(b)]);
  });

  it('scores the ground truth as perfect, and zero motion as disparity 2 = disparity 1 and zero flow', async () => {
    const set = sceneFlowEvalSet(settings, { count: 2 });
    const before = tf.memory().numTensors;
    const truth = await evaluateSceneFlow(
      () => ({
        disparity1: tf.clone(set.disparity1),
        disparity2: tf.clone(set.disparity2),
        flow: tf.clone(set.flow),
        sceneFlow: tf.clone(set.sceneFlow),
      }),
      set,
    );
    expect([truth.d1, truth.d2, truth.fl, truth.sf1, truth.epe3d]).toEqual([0, 0, 0, 0, 0]);
    expect(tf.memory().numTensors).toBe(before);
    const validCount = tf.sum(set.valid);
    expect(truth.count).toBe((await validCount.data())[0]);
    validCount.dispose();
    // The fields of a zero scene flow: d2 = d1 and a zero flow (up to round-off of the projection).
    const disparity = tf.fill([2, 32, 32, 1], 0.1) as tf.Tensor4D;
    const zero = tf.zeros([2, 32, 32, 3]) as tf.Tensor4D;
    const fields = sceneFlowFields(disparity, zero, set.K, set.baseline);
    await expectTensorClose(fields.disparity1, tf.fill([2, 32, 32, 1], 3.2));
    await expectTensorClose(fields.disparity2, fields.disparity1, { atol: 1e-3 });
    await expectTensorClose(fields.flow, tf.zeros([2, 32, 32, 2]), { atol: 1e-4 });
    tf.dispose([disparity, zero, ...Object.values(fields)]);
    set.dispose();
  });
});
