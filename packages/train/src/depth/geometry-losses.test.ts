import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StereoConsistency } from './depth-options';
import { monocularLoss, stereoLoss } from './geometry-losses';

const H = 4;
const W = 8;

/** A left image with distinct values per pixel and channel: `(x + 8y + 32c) / 128`. */
function leftValues(): Float32Array {
  const v = new Float32Array(H * W * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) v[(y * W + x) * 3 + c] = (x + 8 * y + 32 * c) / 128;
  return v;
}

/** `[1, H, W, 2]` disparity: channel 0 (left) `d0` pixels, channel 1 (right) `d1` pixels, as width fractions. */
function disparity(d0: number, d1: number): tf.Tensor4D {
  const v = new Float32Array(H * W * 2);
  for (let i = 0; i < H * W; i++) {
    v[2 * i] = d0 / W;
    v[2 * i + 1] = d1 / W;
  }
  return tf.tensor4d(v, [1, H, W, 2]);
}

describe('stereoLoss variants', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    ['naive', ['appearance', 'smoothness']],
    ['no-lr', ['appearance', 'smoothness']],
    ['lr', ['appearance', 'consistency', 'smoothness']],
  ] as const)('%s has the terms %j', (consistency, expected) => {
    const left = tf.tensor4d(leftValues(), [1, H, W, 3]);
    const right = tf.tensor4d(
      leftValues().map((v) => 1 - v),
      [1, H, W, 3],
    );
    const d = disparity(1, 2);
    const { loss, terms } = stereoLoss([d], left, right, { consistency });
    expect(Object.keys(terms).sort()).toEqual([...expected]);
    tf.dispose([left, right, d, loss, ...Object.values(terms)]);
  });

  it("'naive' synthesises the right view from the left image: right(x) ~ left(x + d), by hand", async () => {
    // alpha 0: the appearance is the mean L1 |left(clamp(x + d)) - right(x)|; a constant integer
    // disparity samples pixels exactly (border padding clamps x + d to W - 1), and has no smoothness.
    const leftData = leftValues();
    const rightData = new Float32Array(H * W * 3);
    for (let i = 0; i < rightData.length; i++) rightData[i] = ((i * 7) % 13) / 13;
    const left = tf.tensor4d(leftData, [1, H, W, 3]);
    const right = tf.tensor4d(rightData, [1, H, W, 3]);
    const d = disparity(2, 0);
    let sum = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++)
        for (let c = 0; c < 3; c++) {
          const source = Math.min(W - 1, x + 2);
          sum += Math.abs(leftData[(y * W + source) * 3 + c]! - rightData[(y * W + x) * 3 + c]!);
        }
    const { loss, terms } = stereoLoss([d], left, right, { consistency: 'naive', alpha: 0 });
    expect(await terms['appearance']!.data()).toBeCloseTo(sum / (H * W * 3), 5);
    expect(await terms['smoothness']!.data()).toBeCloseTo(0, 6);
    expect(await loss.data()).toBeCloseTo(sum / (H * W * 3), 5);
    tf.dispose([left, right, d, loss, ...Object.values(terms)]);
  });

  it.each([
    ['naive', false],
    ['no-lr', true],
    ['lr', true],
  ] as const)('%s: the right-disparity channel gets a gradient: %s', async (consistency, reaches) => {
    const left = tf.tensor4d(leftValues(), [1, H, W, 3]);
    const right = tf.tensor4d(
      leftValues().map((v) => (v * 3) % 1),
      [1, H, W, 3],
    );
    const d = disparity(1.3, 0.7);
    const grad = tf.grad((x: tf.Tensor) => {
      const { loss, terms } = stereoLoss([x as tf.Tensor4D], left, right, {
        consistency: consistency as StereoConsistency,
      });
      tf.dispose(Object.values(terms));
      return loss;
    })(d);
    const [g0, g1] = tf.split(grad, 2, 3);
    const norm = async (t: tf.Tensor) => {
      const s = tf.tidy(() => tf.sum(tf.abs(t)));
      const value = (await s.data())[0]!;
      s.dispose();
      return value;
    };
    expect(await norm(g0!)).toBeGreaterThan(0);
    if (reaches) expect(await norm(g1!)).toBeGreaterThan(0);
    else expect(await norm(g1!)).toBe(0);
    tf.dispose([left, right, d, grad, g0!, g1!]);
  });
});

describe('monocularLoss reprojection variants', () => {
  it("'min' keeps every pixel, 'min-automask' drops those an unwarped source explains better; by hand", async () => {
    // A pose moving the camera by tx = Z / fx makes the warp sample each source one pixel to the right
    // (x_s = x + fx tx / Z, border padding), with Z = 1 / (0.01 + 9.99 * 0.5) from disparity 0.5. With
    // alpha 0 the photometric loss is the per-pixel channel mean of |a - b|: reprojection r_j(p) compares
    // source_j(min(x + 1, W - 1), y) with the target, identity i_j(p) source_j(x, y).
    const before = tf.memory().numTensors;
    const n = H * W * 3;
    const values = (f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
    const targetData = values((i) => ((i * 5) % 17) / 17);
    const sourceData = [values((i) => ((i * 3) % 11) / 11), values((i) => ((i * 7) % 13) / 13)];
    const l1 = (s: Float32Array, from: number, p: number) => {
      let sum = 0;
      for (let c = 0; c < 3; c++) sum += Math.abs(s[3 * from + c]! - targetData[3 * p + c]!);
      return sum / 3;
    };
    let minLoss = 0;
    let maskedLoss = 0;
    let kept = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const shifted = y * W + Math.min(x + 1, W - 1);
        const r = Math.min(...sourceData.map((s) => l1(s, shifted, p)));
        const i = Math.min(...sourceData.map((s) => l1(s, p, p)));
        minLoss += r / (H * W);
        maskedLoss += Math.min(r, i) / (H * W);
        if (r < i) kept += 1 / (H * W);
      }
    const fx = 4;
    const tx = 1 / (0.01 + 9.99 * 0.5) / fx;
    const pose = () => tf.tensor3d([1, 0, 0, tx, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [1, 4, 4]);
    const target = tf.tensor4d(targetData, [1, H, W, 3]);
    const sources = sourceData.map((s) => tf.tensor4d(s, [1, H, W, 3]));
    const poses = [pose(), pose()];
    const K = tf.tensor3d([fx, 0, 3.5, 0, fx, 1.5, 0, 0, 1], [1, 3, 3]);
    const disparity = tf.fill([1, H, W, 1], 0.5) as tf.Tensor4D;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1);
    for (const [reprojection, expectedLoss, expectedKept] of [
      ['min', minLoss, 1],
      ['min-automask', maskedLoss, kept],
    ] as const) {
      const { loss, terms } = monocularLoss([disparity], target, sources, poses, K, {
        reprojection,
        alpha: 0,
        smoothness: 0,
      });
      expect((await terms['automask']!.data())[0]!).toBeCloseTo(expectedKept, 5);
      expect((await loss.data())[0]!).toBeCloseTo(expectedLoss, 4);
      tf.dispose([loss, ...Object.values(terms)]);
    }
    tf.dispose([target, ...sources, ...poses, K, disparity]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
