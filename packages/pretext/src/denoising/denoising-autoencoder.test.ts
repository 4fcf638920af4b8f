import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { denseAutoencoder } from './denoising-autoencoder';
import { denoisingTask } from './denoising-task';
import { reconstructionCrossEntropy } from './reconstruction-losses';

describe('denseAutoencoder', () => {
  it('ties the decoder to the encoder: z = sigmoid(x W + b) W^T + b2, three trainable weights', async () => {
    const { encoder, autoencoder } = denseAutoencoder({ inputShape: [2, 3, 1], units: 4, name: 'tied1' });
    expect(autoencoder.trainableWeights.map((w) => w.shape)).toEqual([[6, 4], [4], [6]]);
    const [W, b] = encoder.getWeights();
    const b2 = tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5, -0.4]);
    autoencoder.layers.at(-2)!.setWeights([b2]); // the tied decoder's own bias
    const x = randomImages(1, [5, 2, 3, 1]);
    const flat = tf.reshape(x, [5, 6]);
    const expected = tf.reshape(
      tf.add(tf.matMul(tf.sigmoid(tf.add(tf.matMul(flat, W!), b!)), W!, false, true), b2),
      [5, 2, 3, 1],
    );
    const z = autoencoder.apply(x) as tf.Tensor;
    expect(z.shape).toEqual([5, 2, 3, 1]);
    await expectTensorClose(z, expected);
    expect((encoder.apply(x) as tf.Tensor).shape).toEqual([5, 4]);
    tf.dispose([b2, x, flat, expected, z]);
    const untied = denseAutoencoder({ inputShape: [6], units: 4, tied: false, name: 'untied1' });
    expect(untied.autoencoder.trainableWeights).toHaveLength(4);
  });

  it("the tied kernel's gradient sums both uses, as finite differences of the formula", async () => {
    const { autoencoder } = denseAutoencoder({ inputShape: [5], units: 3, name: 'tied2' });
    const x = randomImages(2, [4, 5, 1, 1]).reshape([4, 5]);
    const { inputs, targets, corrupted } = denoisingTask(key(0), x.reshape([4, 5, 1, 1]), { level: 0.4 });
    const clean = targets.reshape([4, 5]);
    const noisy = inputs.reshape([4, 5]);
    const [kernel, bias] = autoencoder.trainableWeights.map((w) => w.read());
    const formula = (W: tf.Tensor): tf.Tensor =>
      reconstructionCrossEntropy(
        tf.matMul(
          tf.sigmoid(tf.add(tf.matMul(noisy, W as tf.Tensor2D), bias!)),
          W as tf.Tensor2D,
          false,
          true,
        ),
        clean,
      );
    await gradCheck(formula, [kernel!]);
    const { grads } = tf.variableGrads(
      () => reconstructionCrossEntropy(autoencoder.apply(noisy) as tf.Tensor, clean) as tf.Scalar,
      [kernel as tf.Variable],
    );
    const expected = tf.grad(formula)(kernel!);
    await expectTensorClose(grads[(kernel as tf.Variable).name]!, expected);
    tf.dispose([x, inputs, targets, corrupted, clean, noisy, expected, ...Object.values(grads)]);
  });

  it('learns to denoise a batch; encoders stack for greedy layer-wise training', async () => {
    const first = denseAutoencoder({ inputShape: [4, 4, 1], units: 12, name: 'stack1' });
    const x = randomImages(3, [8, 4, 4, 1]);
    const { inputs, targets, corrupted } = denoisingTask(key(1), x, { level: 0.25 });
    const optimizer = tf.train.adam(0.05);
    const loss = () =>
      reconstructionCrossEntropy(first.autoencoder.apply(inputs) as tf.Tensor, targets) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 80; i++) optimizer.minimize(loss, true)?.dispose();
    const after = tf.tidy(() => loss().dataSync()[0]!);
    expect(after).toBeLessThan(before - 0.5);
    const second = denseAutoencoder({ inputShape: [12], units: 6, name: 'stack2' });
    const stacked = tfl.sequential({ layers: [first.encoder, second.encoder] });
    const codes = stacked.apply(x) as tf.Tensor;
    expect(codes.shape).toEqual([8, 6]);
    tf.dispose([x, inputs, targets, corrupted, codes]);
    optimizer.dispose();
  });

  it('checks its options, and leaks nothing when applied', async () => {
    expect(() => denseAutoencoder({ inputShape: [4], units: 0 })).toThrow(
      "denseAutoencoder: 'units' is 0 but expected an integer >= 1.",
    );
    expect(() => denseAutoencoder({ inputShape: [], units: 3 })).toThrow(ArgumentError);
    const { autoencoder } = denseAutoencoder({ inputShape: [3], units: 2, name: 'leak' });
    const x = tf.ones([2, 3]);
    await expectNoLeaks(() => tf.tidy(() => autoencoder.apply(x) as tf.Tensor));
    x.dispose();
  });
});
