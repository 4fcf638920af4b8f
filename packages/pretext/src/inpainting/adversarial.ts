import { checkDType, checkOptions, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkHidden } from '../heads/trunk-heads';
import { checkInteger } from '../internal/checks';

/** Options of {@link contextDiscriminator}. */
export interface ContextDiscriminatorOptions {
  /** Shape of one image without the batch, `[H, W, C]`. */
  readonly inputShape: readonly [number, number, number];
  /** Filters of the stride-2 4x4 convolutions (each followed by LeakyReLU 0.2). Default `[16, 32]`. */
  readonly filters?: readonly number[];
  /** Name prefix of the layers. Default `'discriminator'`. */
  readonly name?: string;
}

/**
 * A small DCGAN-style discriminator for the context encoder's adversarial term: 4x4 convolutions with
 * stride 2 and LeakyReLU 0.2, then one linear logit ("real" when positive). The paper's is the DCGAN
 * discriminator at 128 px; this one scales down with `filters`.
 *
 * @param options - `inputShape`, `filters` (`[16, 32]`), `name`
 * @returns a `tf.LayersModel` from `[B, H, W, C]` to `[B, 1]` logits
 * @throws ArgumentError for a bad shape or filter count
 * @example
 * ```ts
 * const discriminator = contextDiscriminator({ inputShape: [28, 28, 1] });
 * ```
 * @see Pathak et al. 2016, section 3.2; Radford et al. 2016 (DCGAN)
 */
export function contextDiscriminator(options: ContextDiscriminatorOptions): tfl.LayersModel {
  const op = 'contextDiscriminator';
  const {
    inputShape,
    filters = [16, 32],
    name = 'discriminator',
  } = checkOptions(options, ['inputShape', 'filters', 'name'], { op });
  [0, 1, 2].forEach((i) => {
    checkInteger(op, `inputShape[${i}]`, (inputShape as readonly number[] | undefined)?.[i], 1);
  });
  checkHidden(op, filters);
  const input = tfl.input({ shape: [...inputShape], name: `${name}_input` });
  let h: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    h = tfl.layers
      .conv2d({ filters: f, kernelSize: 4, strides: 2, padding: 'same', name: `${name}_conv${i}` })
      .apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.leakyReLU({ alpha: 0.2, name: `${name}_lrelu${i}` }).apply(h) as tfl.SymbolicTensor;
  });
  const flat = tfl.layers.flatten({ name: `${name}_flatten` }).apply(h) as tfl.SymbolicTensor;
  const logit = tfl.layers.dense({ units: 1, name: `${name}_logit` }).apply(flat) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logit, name });
}

/** The two sides of {@link adversarialLosses}. */
export type AdversarialLosses = {
  /** `mean softplus(-real) + mean softplus(fake)`: binary cross-entropy with real = 1, fake = 0. */
  readonly discriminator: tf.Scalar;
  /** `mean softplus(-fake)`: the non-saturating generator loss (fake labelled real). */
  readonly generator: tf.Scalar;
};

const OP = 'adversarialLosses';

/**
 * The GAN losses of the context encoder's adversarial term, from discriminator logits:
 * `L_D = -mean log sigmoid(real) - mean log(1 - sigmoid(fake))` and `L_G = -mean log sigmoid(fake)`,
 * computed stably as softplus. The paper trains the generator on `0.999 L_rec + 0.001 L_G`
 * ({@link inpaintingLoss} for `L_rec`); compute `fake` from the generator's output for `L_G` and from
 * its stopped output for `L_D`.
 *
 * @param realLogits - `[B, 1]` float32 discriminator logits of real images
 * @param fakeLogits - `[B, 1]` float32 logits of reconstructions
 * @returns `{ discriminator, generator }` scalars
 * @throws ShapeError unless both are `[B, 1]` (batch sizes may differ); DTypeError for non-float32
 * @example
 * ```ts
 * const { generator } = adversarialLosses(discriminator.apply(real) as tf.Tensor2D, discriminator.apply(fake) as tf.Tensor2D);
 * const loss = tf.add(tf.mul(inpaintingLoss(fake, real, weights), 0.999), tf.mul(generator, 0.001));
 * ```
 * @see Pathak et al. 2016, equation 3 (lambda_rec 0.999, lambda_adv 0.001), https://arxiv.org/abs/1604.07379
 */
export const adversarialLosses = defineOp(
  OP,
  (realLogits: tf.Tensor, fakeLogits: tf.Tensor): AdversarialLosses => {
    checkShape(realLogits, ['B', 1], { op: OP, arg: 'realLogits', bindings: shapeBindings() });
    checkShape(fakeLogits, ['B', 1], { op: OP, arg: 'fakeLogits', bindings: shapeBindings() });
    checkDType(realLogits, ['float32'], { op: OP, arg: 'realLogits' });
    checkDType(fakeLogits, ['float32'], { op: OP, arg: 'fakeLogits' });
    const discriminator = tf.add(
      tf.mean(tf.softplus(tf.neg(realLogits))),
      tf.mean(tf.softplus(fakeLogits)),
    ) as tf.Scalar;
    const generator = tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar;
    return { discriminator, generator };
  },
);
