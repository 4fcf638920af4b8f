import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { measureViewThroughput } from './measure-view-throughput';

describe('measureViewThroughput', () => {
  it('reports views per second and ms per batch consistently, without leaking', async () => {
    const before = tf.memory().numTensors;
    const r = await measureViewThroughput({
      size: 12,
      channels: 1,
      batchSize: 4,
      recipe: 'byol',
      iterations: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.backend).toBe(tf.getBackend());
    expect(r.recipe).toBe('byol');
    expect(r.viewsPerBatch).toBe(2);
    expect(r.msPerBatch).toBeGreaterThan(0);
    expect(r.viewsPerSecond).toBeCloseTo((4 * 2 * 1000) / r.msPerBatch, 6);
    await expect(measureViewThroughput({ batchSize: 0 })).rejects.toThrow(
      "measureViewThroughput: 'batchSize' is 0 but expected an integer >= 1.",
    );
    await expect(measureViewThroughput({ recipe: 'dino' as never })).rejects.toThrow(/'recipe' is dino/);
  });
});
