import { checkNumber, checkOneOf } from '@genoise/core';
import { codeDecoder } from '@genoise/models';
import {
  type Corruption,
  denoisingTask,
  reconstructionCrossEntropy,
  reconstructionMSE,
} from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import { pretextMethod } from './pretext/pretext-method';
import { encode, type PretextOptions, widthsOption } from './pretext/pretext-options';
import { featureDim } from './representation/backbone';

/** Denoising-autoencoder options. */
export interface DaeOptions extends PretextOptions {
  readonly name: 'dae';
  /** `'masking'` (zeroes), `'gaussian'` or `'salt-and-pepper'`. Default `'masking'` (Vincent et al.). */
  readonly corruption: Corruption;
  /** Masking / salt-and-pepper: share of corrupted pixels; gaussian: noise std. Default 0.3 (the SdA tutorial's range is 0.1-0.3). */
  readonly level: number;
  /** `'cross-entropy'` against the clean pixels in [0, 1] (the paper) or `'mse'`. Default `'cross-entropy'`. */
  readonly reconstruction: 'cross-entropy' | 'mse';
  /** Channels of the decoder's upsampling stages, coarse to fine (see `codeDecoder`). Default `[64, 32, 16]`. */
  readonly decoderWidths: readonly number[];
}

/** A denoising batch: corrupted inputs and the clean targets. */
export interface DaeBatch extends tf.NamedTensorMap {
  /** `[B, H, W, C]` corrupted images. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H, W, C]` the clean images. */
  readonly targets: tf.Tensor4D;
}

/**
 * Denoising autoencoder (Vincent et al. 2008): corrupt the input, encode it to the pooled code, decode
 * the code (no skip connections, so everything passes through the code) and reconstruct the *clean*
 * image. The encoder is the convnet the other methods train, so the layer-wise table compares them; the
 * paper's MLP with tied weights and greedy stacking is `denseAutoencoder` in @genoise/pretext.
 *
 * @see Vincent, Larochelle, Bengio, Manzagol 2008, "Extracting and Composing Robust Features with Denoising Autoencoders"
 */
export const dae = pretextMethod<DaeOptions, DaeBatch>({
  name: 'dae',
  summary: 'Denoising autoencoder: reconstruct the clean image from a corrupted one through the code',
  paper: 'Vincent et al. 2008, Extracting and Composing Robust Features with Denoising Autoencoders',
  defaults: { batchSize: 128, steps: 600 },
  budgets: { tensorflow: 1500 },
  options: {
    corruption: 'masking',
    level: 0.3,
    reconstruction: 'cross-entropy',
    decoderWidths: [64, 32, 16],
  },
  validate(config) {
    const m = config.method;
    const op = 'resolveTrainConfig';
    checkOneOf(m.corruption, ['masking', 'gaussian', 'salt-and-pepper'], { op, arg: 'method.corruption' });
    checkNumber(m.level, {
      op,
      arg: 'method.level',
      min: 0,
      max: m.corruption === 'gaussian' ? Infinity : 1,
    });
    checkOneOf(m.reconstruction, ['cross-entropy', 'mse'], { op, arg: 'method.reconstruction' });
    widthsOption(m.decoderWidths, 'method.decoderWidths');
  },
  identity: (o) => [o.decoderWidths],
  build({ options, data, encoder, key }) {
    const decoder = codeDecoder({
      codeDim: featureDim(encoder),
      outputShape: [...data.imageShape] as [number, number, number],
      widths: options.decoderWidths,
      key,
      name: 'dae_decoder',
    });
    return {
      head: { name: 'decoder', model: decoder },
      batch(images, stepKey) {
        const task = denoisingTask(stepKey, images, { corruption: options.corruption, level: options.level });
        task.corrupted.dispose();
        return { inputs: task.inputs, targets: task.targets };
      },
      loss({ inputs, targets }) {
        const logits = decoder.apply(encode(encoder, inputs), { training: true }) as tf.Tensor4D;
        const loss =
          options.reconstruction === 'mse'
            ? reconstructionMSE(tf.sigmoid(logits), targets)
            : reconstructionCrossEntropy(logits, targets, { fromLogits: true });
        return { loss: loss as tf.Scalar };
      },
    };
  },
});
