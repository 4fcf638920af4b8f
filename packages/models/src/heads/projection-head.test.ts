import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { projectionHead } from './projection-head';

/** Hidden Dense without bias + 4 BN numbers per unit (or a bias without BN); linear output with bias. */
function expectedParams(
  input: number,
  hidden: number,
  output: number,
  layers: number,
  batchNorm: boolean,
): number {
  let total = 0;
  let previous = input;
  for (let i = 0; i < layers - 1; i++) {
    total += previous * hidden + (batchNorm ? 4 : 1) * hidden;
    previous = hidden;
  }
  return total + previous * output + output;
}

describe('projectionHead', () => {
  it('maps [B, inputDim] to [B, outputDim] with the parameter count of its formula', async () => {
    const head = projectionHead({ inputDim: 128, key: createKey(0) });
    expect(head.countParams()).toBe(expectedParams(128, 512, 128, 2, true));
    const x = tf.ones([4, 128]);
    const z = head.apply(x, { training: true }) as tf.Tensor;
    expect(z.shape).toEqual([4, 128]);
    tf.dispose([x, z]);
    for (const [layers, batchNorm] of [
      [1, true],
      [3, true],
      [3, false],
    ] as const) {
      const h = projectionHead({
        inputDim: 16,
        hiddenDim: 8,
        outputDim: 4,
        layers,
        batchNorm,
        key: createKey(1),
      });
      expect(h.countParams()).toBe(expectedParams(16, 8, 4, layers, batchNorm));
      h.dispose();
    }
    await expectNoLeaks(() => tf.tidy(() => head.predict(tf.ones([2, 128]))));
    head.dispose();
  });

  it('names the option at fault', () => {
    expect(() => projectionHead({ inputDim: 0, key: createKey(0) })).toThrow(
      "projectionHead: 'inputDim' is 0 but expected an integer >= 1.",
    );
    expect(() => projectionHead({ inputDim: 8, layers: 1.5, key: createKey(0) })).toThrow(
      "projectionHead: 'layers' is 1.5 but expected an integer >= 1.",
    );
  });
});
