import { createKey } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { projectionHead } from '../heads/projection-head';
import { emaUpdate } from './ema-update';

const values = (model: tfl.LayersModel): Promise<Float32Array[]> =>
  Promise.all(model.weights.map(async (w) => Float32Array.from(await w.read().data())));

describe('emaUpdate', () => {
  it('sets every weight, moving statistics included, to m * target + (1 - m) * online, in place', async () => {
    const target = projectionHead({ inputDim: 6, hiddenDim: 5, outputDim: 3, key: createKey(1) });
    const online = projectionHead({ inputDim: 6, hiddenDim: 5, outputDim: 3, key: createKey(2) });
    // Move the online BN statistics away from their initial values with one training-mode pass.
    tf.tidy(() => {
      online.apply(tf.reshape(tf.linspace(-3, 5, 24), [4, 6]), { training: true });
    });
    const [t, o] = [await values(target), await values(online)];
    const variables = target.weights.map((w) => w.read());
    emaUpdate(target, online, 0.75);
    for (const [i, w] of target.weights.entries()) {
      await expectTensorClose(
        w.read(),
        t[i]!.map((v, j) => 0.75 * v + 0.25 * o[i]![j]!),
      );
    }
    expect(target.weights.map((w) => w.read())).toEqual(variables); // the same variables, updated
    const names = target.weights.map((w) => w.originalName.split('/').pop());
    expect(names).toContain('moving_mean');
    expect(await values(online)).toEqual(o);
    await expectNoLeaks(() => emaUpdate(target, online, 0.5));
    target.dispose();
    online.dispose();
  });

  it('rejects models whose weights differ, naming the first that differs', () => {
    const a = projectionHead({ inputDim: 6, hiddenDim: 5, outputDim: 3, key: createKey(1) });
    const b = projectionHead({ inputDim: 6, hiddenDim: 4, outputDim: 3, key: createKey(1) });
    const c = projectionHead({ inputDim: 6, hiddenDim: 5, outputDim: 3, layers: 3, key: createKey(1) });
    expect(() => emaUpdate(a, b, 0.9)).toThrow(
      /emaUpdate: 'online' weight 0 \('.*kernel'\) has shape \[6,4\] but 'target' weight 0 \('.*kernel'\) has \[6,5\]; both must have the same architecture\./,
    );
    expect(() => emaUpdate(a, c, 0.9)).toThrow(
      `emaUpdate: 'online' has ${c.weights.length} weights but 'target' has ${a.weights.length}; both must have the same architecture.`,
    );
    expect(() => emaUpdate(a, a, 1.01)).toThrow(
      "emaUpdate: 'momentum' is 1.01 but expected a finite number >= 0 and <= 1.",
    );
    for (const m of [a, b, c]) m.dispose();
  });
});
