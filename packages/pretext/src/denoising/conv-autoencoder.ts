import { ArgumentError, checkOptions } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkHidden } from '../heads/trunk-heads';
import { checkInteger } from '../internal/checks';

/** Options of {@link convAutoencoder}. */
export interface ConvAutoencoderOptions {
  /** `[H, W, C]`, `H` and `W` multiples of `2^filters.length`. */
  readonly inputShape: readonly [number, number, number];
  /** Filters of the encoder's stride-2 3x3 ReLU convolutions; the decoder mirrors them. Default `[16, 32]`. */
  readonly filters?: readonly number[];
  /** Name prefix of the layers. Default `'conv_dae'`. */
  readonly name?: string;
}

/** What {@link convAutoencoder} builds: two models sharing their layers. */
export interface ConvAutoencoder {
  /** `[B, H, W, C]` to the code `[B, H / 2^n, W / 2^n, filters[n-1]]`. */
  readonly encoder: tfl.LayersModel;
  /** `[B, H, W, C]` to `[B, H, W, C]` reconstruction logits. */
  readonly autoencoder: tfl.LayersModel;
}

const OP = 'convAutoencoder';

/**
 * A convolutional denoising autoencoder: stride-2 3x3 ReLU convolutions down, stride-2 3x3 transposed
 * convolutions up (mirrored widths), and a linear 3x3 convolution to `C` logits per pixel, for
 * {@link reconstructionCrossEntropy} (or {@link reconstructionMSE}) against the clean images.
 *
 * @param options - `inputShape`, `filters` (`[16, 32]`), `name`
 * @returns `{ encoder, autoencoder }`
 * @throws ArgumentError for a bad shape, filter count, or sizes that 2^n does not divide
 * @example
 * ```ts
 * const { encoder, autoencoder } = convAutoencoder({ inputShape: [28, 28, 1] });
 * const { inputs, targets } = denoisingTask(createKey(0), images, { corruption: 'gaussian', level: 0.3 });
 * const loss = reconstructionCrossEntropy(autoencoder.apply(inputs) as tf.Tensor, targets);
 * ```
 * @see Vincent et al. 2008; Masci et al. 2011, Stacked convolutional auto-encoders
 */
export function convAutoencoder(options: ConvAutoencoderOptions): ConvAutoencoder {
  const {
    inputShape,
    filters = [16, 32],
    name = 'conv_dae',
  } = checkOptions(options, ['inputShape', 'filters', 'name'], { op: OP });
  [0, 1, 2].forEach((i) => {
    checkInteger(OP, `inputShape[${i}]`, (inputShape as readonly number[] | undefined)?.[i], 1);
  });
  checkHidden(OP, filters);
  const [H, W, C] = inputShape;
  const factor = 2 ** filters.length;
  if (H % factor !== 0 || W % factor !== 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'inputShape',
      expected: `height and width multiples of 2^${filters.length} = ${factor}`,
      actual: `[${inputShape.join(', ')}]`,
    });
  }
  const input = tfl.input({ shape: [H, W, C], name: `${name}_input` });
  let h: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    h = tfl.layers
      .conv2d({
        filters: f,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        name: `${name}_down${i}`,
      })
      .apply(h) as tfl.SymbolicTensor;
  });
  const code = h;
  [...filters].reverse().forEach((f, i) => {
    h = tfl.layers
      .conv2dTranspose({
        filters: f,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        name: `${name}_up${i}`,
      })
      .apply(h) as tfl.SymbolicTensor;
  });
  const logits = tfl.layers
    .conv2d({ filters: C, kernelSize: 3, padding: 'same', name: `${name}_logits` })
    .apply(h) as tfl.SymbolicTensor;
  return {
    encoder: tfl.model({ inputs: input, outputs: code, name: `${name}_encoder` }),
    autoencoder: tfl.model({ inputs: input, outputs: logits, name: `${name}_autoencoder` }),
  };
}
