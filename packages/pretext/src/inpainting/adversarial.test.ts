import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomImages } from '../../test/helpers';
import { adversarialLosses, contextDiscriminator } from './adversarial';

const softplus = (x: number): number => Math.log1p(Math.exp(x));

describe('adversarialLosses', () => {
  it('are the binary cross-entropies of a naive loop, with their gradients', async () => {
    const real = [1.5, -0.3, 2];
    const fake = [-1, 0.4, 0, 3];
    const r = tf.tensor2d(real, [3, 1]);
    const f = tf.tensor2d(fake, [4, 1]);
    const { discriminator, generator } = adversarialLosses(r, f);
    const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
    await expectTensorClose(
      discriminator,
      mean(real.map((v) => softplus(-v))) + mean(fake.map((v) => softplus(v))),
    );
    await expectTensorClose(generator, mean(fake.map((v) => softplus(-v))));
    await gradCheck((a, b) => adversarialLosses(a!, b!).discriminator, [r, f]);
    await gradCheck((b) => adversarialLosses(r, b!).generator, [f]);
    tf.dispose([r, f, discriminator, generator]);
  });

  it('checks shapes, and leaks nothing', async () => {
    const bad = tf.zeros([3, 2]);
    const ok = tf.zeros([3, 1]);
    expect(() => adversarialLosses(bad, ok)).toThrow(ShapeError);
    await expectNoLeaks(() => adversarialLosses(ok, ok));
    tf.dispose([bad, ok]);
  });
});

describe('contextDiscriminator', () => {
  it('maps images to one logit each', async () => {
    const discriminator = contextDiscriminator({ inputShape: [8, 8, 3], filters: [4, 8] });
    const x = randomImages(1, [2, 8, 8, 3]);
    await expectNoLeaks(() => tf.tidy(() => discriminator.apply(x) as tf.Tensor));
    const y = discriminator.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 1]);
    expect(discriminator.trainableWeights).toHaveLength(6);
    tf.dispose([x, y]);
    expect(() => contextDiscriminator({ inputShape: [8, 8] as never })).toThrow(ArgumentError);
  });
});
