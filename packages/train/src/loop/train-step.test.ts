import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method } from '../method/method';
import { trainStep } from './train-step';

/**
 * A one-weight fake method: `loss = mean((w·x - 1)²) · scale`, with a term `mse` and a hook that records
 * `w` after each step. `scale` NaN or Infinity makes the loss non-finite.
 */
function fakeMethod(scale = 1) {
  const w = tf.tidy(() => tf.variable(tf.scalar(0.5), true));
  const seen: { step: number; totalSteps: number; w: number }[] = [];
  const method: Method & { w: tf.Variable; seen: typeof seen } = {
    name: 'fake',
    models: [],
    w,
    seen,
    trainableVariables: () => [w],
    batch: () => ({ x: tf.tensor1d([1, 2]) }),
    loss(batch, step) {
      expect(step).toBeGreaterThanOrEqual(0);
      const { x } = batch as { x: tf.Tensor1D };
      const mse = tf.mean(tf.square(tf.sub(tf.mul(w, x), 1))) as tf.Scalar;
      return { loss: tf.mul(mse, scale) as tf.Scalar, terms: { mse } };
    },
    afterStep(step, totalSteps) {
      seen.push({ step, totalSteps, w: w.dataSync()[0]! });
    },
    dispose: () => w.dispose(),
  };
  return method;
}

describe('trainStep', () => {
  let before = 0;
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('minimises at the given learning rate, returns the loss before the update and its terms, then runs afterStep', async () => {
    const method = fakeMethod();
    const optimizer = tf.train.adam(1e-3); // trainStep sets the rate itself
    const state = { method, optimizer, variables: method.trainableVariables() };
    const batch = method.batch({ size: 2 }, [0, 1], [0, 0] as never, 0) as { x: tf.Tensor };
    const result = await trainStep(state, batch, 0, { totalSteps: 5, learningRate: 0.1 });
    // w = 0.5, x = [1, 2]: ((0.5 - 1)² + (1 - 1)²) / 2 = 0.125, the loss and its only term.
    expect(result).toEqual({ loss: 0.125, terms: { mse: 0.125 } });
    expect(batch.x.isDisposed).toBe(true);
    // dL/dw = mean(2 (w x - 1) x) = (2·(-0.5)·1 + 0) / 2 = -0.5 < 0; Adam's first step moves w by
    // lr · g / (|g| + eps) = +0.1 (to float32 rounding), and afterStep sees the updated weight.
    expect(method.seen).toHaveLength(1);
    expect(method.seen[0]!.step).toBe(0);
    expect(method.seen[0]!.totalSteps).toBe(5);
    expect(method.seen[0]!.w).toBeCloseTo(0.6, 5);
    expect((await method.w.data())[0]).toBe(method.seen[0]!.w);
    optimizer.dispose();
    method.dispose();
  });

  it.each([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])(
    'throws the non-finite-loss error naming the step, and frees the batch (loss %s)',
    async (scale, shown) => {
      const method = fakeMethod(scale);
      const optimizer = tf.train.adam(0.1);
      const state = { method, optimizer, variables: method.trainableVariables() };
      const batch = method.batch({ size: 2 }, [0, 1], [0, 0] as never, 3) as { x: tf.Tensor };
      const error = await trainStep(state, batch, 3, { totalSteps: 10, learningRate: 0.05 }).catch(
        (e: unknown) => e,
      );
      expect(ArgumentError.isInstance(error)).toBe(true);
      expect((error as ArgumentError).op).toBe('trainStep');
      expect((error as Error).message).toBe(
        `trainStep: the loss became ${shown} at step 4; lower the learning rate (now 5.00e-2).`,
      );
      expect(batch.x.isDisposed).toBe(true);
      optimizer.dispose();
      method.dispose();
    },
  );

  it('frees the batch when the method’s loss throws, and passes the error on', async () => {
    const method = fakeMethod();
    const boom = new Error('loss failed');
    method.loss = () => {
      throw boom;
    };
    const optimizer = tf.train.adam(0.1);
    const batch = method.batch({ size: 2 }, [0, 1], [0, 0] as never, 0) as { x: tf.Tensor };
    await expect(
      trainStep({ method, optimizer, variables: [method.w] }, batch, 0, { totalSteps: 1, learningRate: 0.1 }),
    ).rejects.toBe(boom);
    expect(batch.x.isDisposed).toBe(true);
    expect(method.seen).toEqual([]);
    optimizer.dispose();
    method.dispose();
  });
});
