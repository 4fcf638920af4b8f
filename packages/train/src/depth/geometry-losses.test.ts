import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StereoConsistency } from './depth-options';
import { stereoLoss } from './geometry-losses';

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
