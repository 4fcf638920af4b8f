// The pieces compose and carry gradients: builder -> head -> loss -> Adam on a fixed batch, and the loss
// falls (the network can at least fit one batch). Seeded initialisers, so every run is the same.
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import {
  classificationLoss,
  jigsawNetwork,
  jigsawTask,
  relativeLocationNetwork,
  relativeLocationTask,
  rotationNetwork,
  rotationTask,
} from '../src/index';
import { key, randomImages } from './helpers';

function denseTrunk(inputShape: number[], seed: number): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape }),
      tfl.layers.dense({
        units: 32,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      }),
    ],
  });
}

async function fit(
  network: tfl.LayersModel,
  inputs: tf.Tensor | tf.Tensor[],
  targets: tf.Tensor1D,
  steps: number,
) {
  const optimizer = tf.train.adam(0.01);
  const lossOf = () => classificationLoss(network.apply(inputs) as tf.Tensor2D, targets) as tf.Scalar;
  const first = tf.tidy(() => lossOf().dataSync()[0]!);
  for (let i = 0; i < steps; i++) optimizer.minimize(lossOf, true)?.dispose();
  const last = tf.tidy(() => lossOf().dataSync()[0]!);
  optimizer.dispose();
  network.dispose();
  return { first, last };
}

describe.runIf(testBackend() === 'cpu')('a head on a trunk fits a batch of each task', () => {
  it('rotation', async () => {
    const x = randomImages(1, [4, 6, 6, 1]);
    const { inputs, targets } = rotationTask(key(0), x);
    const { first, last } = await fit(
      rotationNetwork({ trunk: denseTrunk([6, 6, 1], 1) }),
      inputs,
      targets,
      60,
    );
    expect(first).toBeGreaterThan(1);
    expect(last).toBeLessThan(0.5 * first);
    tf.dispose([x, inputs, targets]);
  });

  it('jigsaw', async () => {
    const x = randomImages(2, [8, 9, 9, 1]);
    const permutations = [
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [8, 7, 6, 5, 4, 3, 2, 1, 0],
      [2, 0, 1, 5, 3, 4, 8, 6, 7],
      [6, 7, 8, 0, 1, 2, 3, 4, 5],
    ];
    const { inputs, targets } = jigsawTask(key(1), x, { permutations, tileSize: 3 });
    const network = jigsawNetwork({
      trunk: denseTrunk([3, 3, 1], 2),
      classes: 4,
    });
    const { first, last } = await fit(network, inputs, targets, 60);
    expect(last).toBeLessThan(0.5 * first);
    tf.dispose([x, inputs, targets]);
  });

  it('relative location', async () => {
    const x = randomImages(3, [8, 12, 12, 3]);
    const { inputs, targets } = relativeLocationTask(key(2), x, {
      patchSize: 3,
      gap: 1,
      jitter: 0,
      pairs: 'all',
    });
    const network = relativeLocationNetwork({ trunk: denseTrunk([3, 3, 3], 3), hidden: [32] });
    const { first, last } = await fit(network, inputs, targets, 60);
    expect(last).toBeLessThan(0.5 * first);
    tf.dispose([x, ...inputs, targets]);
  });
});
