import { createKey, DTypeError, normalValues, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { angularError } from './angular-error';

const pixels = (vectors: number[][]) => tf.tensor4d(vectors.flat(), [1, 1, vectors.length, 3]);

describe('angularError', () => {
  it('gives the angles of hand-derived pairs, whatever the lengths', async () => {
    const pred = pixels([
      [1, 0, 0], // vs (0, 1, 0): 90°
      [2, 0, 0], // vs (1, 1, 0): 45°
      [0, 0, 1], // vs (0, 0, -2): 180°
      [0, 3, 4], // vs (0, 0.6, 0.8): 0°
      [1, 1, 1], // vs (1, 0, 0): acos(1/√3) = 54.7356°
      [1, Math.sqrt(3), 0], // vs (1, 0, 0): 60°
    ]);
    const gt = pixels([
      [0, 1, 0],
      [1, 1, 0],
      [0, 0, -2],
      [0, 0.6, 0.8],
      [1, 0, 0],
      [5, 0, 0],
    ]);
    const angles = angularError(pred, gt);
    expect(angles.shape).toEqual([1, 1, 6, 1]);
    await expectTensorClose(
      angles,
      [[[[90], [45], [180], [0], [(Math.acos(1 / Math.sqrt(3)) * 180) / Math.PI], [60]]]],
      {
        atol: 1e-4,
      },
    );
    tf.dispose([pred, gt, angles]);
  });

  it('keeps small angles that acos of a float32 dot would round to 0', async () => {
    const pred = pixels([[1, 1e-4, 0]]);
    const gt = pixels([[1, 0, 0]]);
    const angles = angularError(pred, gt);
    // atan(1e-4) = 0.0057295760°; cos of it is 1 - 5e-9, which float32 rounds to 1 (acos -> 0).
    await expectTensorClose(angles, [[[[(Math.atan(1e-4) * 180) / Math.PI]]]], { rtol: 1e-4, atol: 0 });
    tf.dispose([pred, gt, angles]);
  });

  it('gives 90° where a vector has zero length', async () => {
    const pred = pixels([
      [0, 0, 0],
      [0, 0, 1],
    ]);
    const gt = pixels([
      [0, 0, 1],
      [0, 0, 0],
    ]);
    await expectTensorClose(angularError(pred, gt), [[[[90], [90]]]]);
    tf.dispose([pred, gt]);
  });

  it('matches acos of the normalised dot, in float64, on random vectors', async () => {
    const shape: [number, number, number, number] = [2, 3, 4, 3];
    const p = normalValues(createKey(1), 72);
    const g = normalValues(createKey(2), 72);
    const expected = new Float32Array(24);
    for (let i = 0; i < 24; i++) {
      const a = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
      const b = [g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!];
      const dot = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
      expected[i] = (Math.acos(dot / Math.hypot(...a) / Math.hypot(...b)) * 180) / Math.PI;
    }
    const pred = tf.tensor4d(p, shape);
    const gt = tf.tensor4d(g, shape);
    await expectTensorClose(angularError(pred, gt), expected, { atol: 1e-3 });
    expect(await expectNoLeaks(() => angularError(pred, gt))).toBe(1);
    tf.dispose([pred, gt]);
  });

  it('names bad arguments', () => {
    const a = tf.zeros([1, 2, 2, 3]);
    const b = tf.zeros([1, 2, 3, 3]);
    const c = tf.zeros([1, 2, 2, 2]);
    expect(() => angularError(a, b)).toThrow(
      "angularError: 'gt' has shape [1,2,3,3] but 'pred' has [1,2,2,3]; both must be [B,H,W,3] with equal sizes.",
    );
    expect(() => angularError(c as tf.Tensor4D, a)).toThrow(ShapeError);
    const d = tf.zeros([1, 2, 2, 3], 'int32');
    expect(() => angularError(a, d)).toThrow(DTypeError);
    tf.dispose([a, b, c, d]);
  });
});
