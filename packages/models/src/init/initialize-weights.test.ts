import { createKey, foldIn, normalValues } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { smallConvNet } from '../encoders/small-conv-net';
import { initializeWeights } from './initialize-weights';

describe('initializeWeights', () => {
  it('draws kernel i from foldIn(key, i) with std sqrt(2 / fanIn), and sets BN/bias constants', async () => {
    const key = createKey(5);
    const model = smallConvNet({ inputShape: [8, 8, 2], widths: [4, 6], key });
    const weights = model.weights;
    for (const [i, w] of weights.entries()) {
      const shape = w.shape as number[];
      const size = shape.reduce((a, b) => a * b, 1);
      const name = w.originalName.split('/').pop();
      if (name === 'kernel') {
        const fan = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        await expectTensorClose(w.read(), normalValues(foldIn(key, i), size, 0, Math.sqrt(2 / fan)), {
          rtol: 0,
          atol: 0,
        });
      } else {
        const value = name === 'gamma' || name === 'moving_variance' ? 1 : 0;
        await expectTensorClose(w.read(), new Float32Array(size).fill(value), { rtol: 0, atol: 0 });
      }
    }
    const names = weights.map((w) => w.originalName.split('/').pop()).sort();
    expect(names).toEqual([
      'beta',
      'beta',
      'gamma',
      'gamma',
      'kernel',
      'kernel',
      'moving_mean',
      'moving_mean',
      'moving_variance',
      'moving_variance',
    ]);
    model.dispose();
  });

  it('rejects a weight it has no rule for, naming it', () => {
    const input = tfl.input({ shape: [4] });
    const output = tfl.layers.embedding({ inputDim: 3, outputDim: 2 }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: output });
    expect(() => initializeWeights(model, createKey(0))).toThrow(
      /initializeWeights: weight '.*embeddings' has no initialisation rule; known weight names are kernel, bias, beta, gamma, moving_mean, moving_variance\./,
    );
    expect(() => initializeWeights(model, {} as never)).toThrow("initializeWeights: 'key' is {}");
    model.dispose();
  });
});
