import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages, tinyTrunk } from '../../test/helpers';
import { classificationLoss } from '../classification/classification-loss';
import { rotationNetwork } from './rotation-network';
import { rotationTask } from './rotation-task';

describe('rotationNetwork', () => {
  it('maps images to 4 logits through the shared trunk, and trains the trunk', async () => {
    const trunk = tinyTrunk([6, 6, 1]);
    const network = rotationNetwork({ trunk, hidden: [8] });
    const x = randomImages(1, [2, 6, 6, 1]);
    const { inputs, targets } = rotationTask(key(0), x);
    const logits = network.apply(inputs) as tf.Tensor;
    expect(logits.shape).toEqual([8, 4]);
    // The trunk's kernel is among the network's trainable weights (shared, not copied).
    const trunkKernel = trunk.trainableWeights[0]!.read();
    const names = network.trainableWeights.map((w) => w.read().id);
    expect(names).toContain(trunkKernel.id);
    const { grads } = tf.variableGrads(
      () => classificationLoss(network.apply(inputs) as tf.Tensor2D, targets) as tf.Scalar,
      [trunkKernel as tf.Variable],
    );
    const norm = tf.norm(grads[(trunkKernel as tf.Variable).name]!);
    expect((await norm.data())[0]).toBeGreaterThan(0);
    tf.dispose([x, inputs, targets, logits, norm, ...Object.values(grads)]);
    network.dispose();
  });

  it('refuses a trunk that is not a model, and bad widths', () => {
    expect(() => rotationNetwork({ trunk: {} as never })).toThrow(ArgumentError);
    expect(() => rotationNetwork({ trunk: tinyTrunk([6, 6, 1]), hidden: [0] })).toThrow(
      "rotationNetwork: 'hidden[0]' is 0 but expected an integer >= 1.",
    );
  });

  it('leaks nothing when applied', async () => {
    const network = rotationNetwork({ trunk: tinyTrunk([5, 5, 1]) });
    const x = randomImages(2, [3, 5, 5, 1]);
    await expectNoLeaks(() => tf.tidy(() => network.apply(x) as tf.Tensor));
    x.dispose();
    network.dispose();
  });
});
