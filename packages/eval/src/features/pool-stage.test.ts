import { ArgumentError, createKey, DTypeError, ShapeError, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { poolGridSize, poolStage } from './pool-stage';

/** Adaptive average pooling by the definition: a loop over bins, rows and columns, in float64. */
function naivePool(x: Float32Array, [b, h, w, c]: [number, number, number, number], g: number): Float32Array {
  const out = new Float64Array(b * g * g * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++)
        for (let k = 0; k < c; k++) {
          const h0 = Math.floor((i * h) / g);
          const h1 = Math.ceil(((i + 1) * h) / g);
          const w0 = Math.floor((j * w) / g);
          const w1 = Math.ceil(((j + 1) * w) / g);
          let sum = 0;
          for (let y = h0; y < h1; y++)
            for (let z = w0; z < w1; z++) sum += x[((n * h + y) * w + z) * c + k]!;
          out[((n * g + i) * g + j) * c + k] = sum / ((h1 - h0) * (w1 - w0));
        }
  return Float32Array.from(out);
}

describe('poolGridSize', () => {
  it('is round(sqrt(target / C)) clamped to [1, min(H, W)]', () => {
    expect(poolGridSize(14, 14, 32, 2048)).toBe(8);
    expect(poolGridSize(7, 9, 3, 2048)).toBe(7); // sqrt(682.7) = 26.1, clamped to min(H, W)
    expect(poolGridSize(4, 4, 4096, 2048)).toBe(1); // round(0.707) = 1
    expect(poolGridSize(4, 4, 10000, 2048)).toBe(1); // round(0.45) = 0, clamped up to 1
    expect(poolGridSize(28, 28, 16, 2048)).toBe(11); // sqrt(128) = 11.3
  });
});

describe('poolStage', () => {
  it('matches a naive adaptive-average loop, with bins that divide and bins that overlap', async () => {
    const cases: { shape: [number, number, number, number]; target: number; g: number }[] = [
      { shape: [2, 8, 8, 2], target: 32, g: 4 }, // bins of 2x2
      { shape: [2, 7, 5, 3], target: 27, g: 3 }, // H = 7, W = 5 into 3 overlapping bins
      { shape: [1, 6, 10, 1], target: 2048, g: 6 }, // clamped to min(H, W)
      { shape: [3, 5, 5, 64], target: 2048, g: 5 }, // sqrt(32) = 5.66 -> 6, clamped to 5
      { shape: [2, 3, 4, 8], target: 1, g: 1 }, // global average
    ];
    for (const { shape, target, g } of cases) {
      const x = uniform(createKey(shape[1] * 10 + shape[2]), shape);
      const pooled = poolStage(x, { targetFeatures: target });
      expect(pooled.shape).toEqual([shape[0], g * g * shape[3]]);
      await expectTensorClose(pooled, naivePool((await x.data()) as Float32Array, shape, g));
      tf.dispose([x, pooled]);
    }
  });

  it('bins of PyTorch AdaptiveAvgPool2d: a 5-long axis into 3 bins averages [0,2), [1,4), [3,5)', async () => {
    const x = tf.tensor4d([1, 2, 4, 8, 16], [1, 1, 5, 1]);
    const row = tf.tile(x, [1, 3, 1, 1]); // H = 3 so g = 3 along both axes
    await expectTensorClose(poolStage(row, { targetFeatures: 9 }), [
      [1.5, 14 / 3, 12, 1.5, 14 / 3, 12, 1.5, 14 / 3, 12],
    ]);
    tf.dispose([x, row]);
  });

  it('passes a rank-2 stage through as a copy', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = poolStage(x);
    expect(y).not.toBe(x);
    await expectTensorClose(y, x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  it('leaks nothing', async () => {
    const x = tf.ones([2, 6, 6, 4]);
    expect(await expectNoLeaks(() => poolStage(x, { targetFeatures: 36 }))).toBe(1);
    x.dispose();
  });

  it('names bad arguments', () => {
    const x = tf.ones([2, 4, 4]);
    expect(() => poolStage(x)).toThrow(ShapeError);
    expect(() => poolStage(x)).toThrow(
      "poolStage: 'map' has shape [2,4,4] (rank 3) but expected [B,H,W,C] (a stage's map) or [B,D] (features).",
    );
    const y = tf.ones([1, 2, 2, 1], 'int32');
    expect(() => poolStage(y)).toThrow(DTypeError);
    const z = tf.ones([1, 2, 2, 1]);
    expect(() => poolStage(z, { targetFeatures: 0 })).toThrow(ArgumentError);
    expect(() => poolStage(z, { targetFeatures: 0 })).toThrow(
      "poolStage: 'targetFeatures' is 0 but expected an integer >= 1.",
    );
    expect(() => poolStage(z, { target: 3 } as never)).toThrow("unknown key 'target'");
    tf.dispose([x, y, z]);
  });
});
