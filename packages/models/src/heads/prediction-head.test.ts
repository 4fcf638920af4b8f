import { createKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { predictionHead } from './prediction-head';

describe('predictionHead', () => {
  it('maps [B, inputDim] to [B, outputDim]: Dense-BN-ReLU-Dense, with the parameter count of its formula', async () => {
    const [input, hidden, output] = [32, 16, 8];
    const head = predictionHead({ inputDim: input, hiddenDim: hidden, outputDim: output, key: createKey(0) });
    expect(head.countParams()).toBe(input * hidden + 4 * hidden + hidden * output + output);
    expect(head.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer',
      'Dense',
      'GenoiseBatchNorm',
      'ReLU',
      'Dense',
    ]);
    const x = tf.ones([4, input]);
    const p = head.predict(x) as tf.Tensor;
    expect(p.shape).toEqual([4, output]);
    tf.dispose([x, p]);
    const byDefault = predictionHead({ inputDim: 128, key: createKey(0) });
    expect(byDefault.countParams()).toBe(128 * 512 + 4 * 512 + 512 * 128 + 128);
    byDefault.dispose();
    head.dispose();
  });

  it('names the option at fault', () => {
    expect(() => predictionHead({ inputDim: 8, hiddenDim: -1, key: createKey(0) })).toThrow(
      "predictionHead: 'hiddenDim' is -1 but expected an integer >= 1.",
    );
    expect(() => predictionHead({ inputDim: 8, key: 3 as never })).toThrow("predictionHead: 'key' is 3");
  });
});
