import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { convAutoencoder } from './conv-autoencoder';
import { denoisingTask } from './denoising-task';
import { reconstructionCrossEntropy } from './reconstruction-losses';

describe('convAutoencoder', () => {
  it('encodes to a quarter-size map per layer and decodes to logits of the input shape, sharing layers', async () => {
    const { encoder, autoencoder } = convAutoencoder({
      inputShape: [8, 12, 2],
      filters: [3, 5],
      name: 'cae1',
    });
    const x = randomImages(1, [2, 8, 12, 2]);
    const code = encoder.apply(x) as tf.Tensor;
    const logits = autoencoder.apply(x) as tf.Tensor;
    expect(code.shape).toEqual([2, 2, 3, 5]);
    expect(logits.shape).toEqual([2, 8, 12, 2]);
    const encoderIds = new Set(encoder.trainableWeights.map((w) => w.read().id));
    expect(autoencoder.trainableWeights.filter((w) => encoderIds.has(w.read().id))).toHaveLength(4);
    await expectNoLeaks(() => tf.tidy(() => autoencoder.apply(x) as tf.Tensor));
    tf.dispose([x, code, logits]);
  });

  it('learns to denoise a batch', async () => {
    const { autoencoder } = convAutoencoder({ inputShape: [4, 4, 1], filters: [8], name: 'cae2' });
    const x = randomImages(2, [4, 4, 4, 1]);
    const { inputs, targets, corrupted } = denoisingTask(key(0), x, { corruption: 'gaussian', level: 0.2 });
    const optimizer = tf.train.adam(0.03);
    const loss = () =>
      reconstructionCrossEntropy(autoencoder.apply(inputs) as tf.Tensor, targets) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 60; i++) optimizer.minimize(loss, true)?.dispose();
    const after = tf.tidy(() => loss().dataSync()[0]!);
    expect(after).toBeLessThan(before - 0.3);
    tf.dispose([x, inputs, targets, corrupted]);
    optimizer.dispose();
  });

  it('refuses sizes that the strides do not divide', () => {
    expect(() => convAutoencoder({ inputShape: [6, 8, 1], filters: [4, 4] })).toThrow(
      "convAutoencoder: 'inputShape' is [6, 8, 1] but expected height and width multiples of 2^2 = 4.",
    );
    expect(() => convAutoencoder({ inputShape: [8, 8, 1], filters: [0] })).toThrow(ArgumentError);
  });
});
