import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages, tinyTrunk } from '../../test/helpers';
import { classificationLoss } from '../classification/classification-loss';
import { relativeLocationNetwork } from './relative-location-network';
import { relativeLocationTask } from './relative-location-task';

describe('relativeLocationNetwork', () => {
  it('scores a pair with one shared trunk; the order of the pair matters', async () => {
    const trunk = tinyTrunk([4, 4, 3]);
    const network = relativeLocationNetwork({ trunk, hidden: [5] });
    expect(network.trainableWeights).toHaveLength(6); // trunk 2 + hidden 2 + logits 2, trunk not copied
    const x = randomImages(1, [3, 14, 14, 3]);
    const { inputs, targets } = relativeLocationTask(key(0), x, { patchSize: 4, gap: 1 });
    const logits = network.apply(inputs) as tf.Tensor;
    const swapped = network.apply([inputs[1], inputs[0]]) as tf.Tensor;
    expect(logits.shape).toEqual([3, 8]);
    const diff = tf.max(tf.abs(tf.sub(logits, swapped)));
    expect((await diff.data())[0]).toBeGreaterThan(0);
    const loss = classificationLoss(logits as tf.Tensor2D, targets);
    expect(Number.isFinite((await loss.data())[0])).toBe(true);
    tf.dispose([x, ...inputs, targets, logits, swapped, diff, loss]);
    network.dispose();
  });

  it('refuses a bad trunk', () => {
    expect(() => relativeLocationNetwork({ trunk: null as never })).toThrow(ArgumentError);
  });

  it('leaks nothing when applied', async () => {
    const network = relativeLocationNetwork({ trunk: tinyTrunk([4, 4, 1]) });
    const a = randomImages(2, [2, 4, 4, 1]);
    const b = randomImages(3, [2, 4, 4, 1]);
    await expectNoLeaks(() => tf.tidy(() => network.apply([a, b]) as tf.Tensor));
    tf.dispose([a, b]);
    network.dispose();
  });
});
