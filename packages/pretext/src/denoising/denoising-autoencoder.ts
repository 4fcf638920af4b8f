import { ArgumentError, checkBoolean, checkOptions } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger } from '../internal/checks';
import { TiedDense } from './tied-dense';

/** Options of {@link denseAutoencoder}. */
export interface DenseAutoencoderOptions {
  /** Shape of one input without the batch, e.g. `[28, 28, 1]` or `[1000]` (codes of the layer below). */
  readonly inputShape: readonly number[];
  /** Width of the code (hidden) layer. */
  readonly units: number;
  /** Tie the decoder's weights to the encoder's (`W' = W^T`). Default true (the SdA tutorial). */
  readonly tied?: boolean;
  /** Name prefix of the layers, unique within the models you combine. Default `'dae'`. */
  readonly name?: string;
}

/** What {@link denseAutoencoder} builds: two models sharing their layers. */
export interface DenseAutoencoder {
  /** `[B, ...inputShape]` to `[B, units]` sigmoid codes. */
  readonly encoder: tfl.LayersModel;
  /** `[B, ...inputShape]` to `[B, ...inputShape]` reconstruction *logits* (for {@link reconstructionCrossEntropy}). */
  readonly autoencoder: tfl.LayersModel;
}

const OP = 'denseAutoencoder';

/**
 * One layer of a (stacked) denoising autoencoder, as in Vincent et al. 2008 and the SdA tutorial:
 * a sigmoid encoder `h = sigmoid(x W + b)` and a decoder `z = h W^T + b'` (tied) or `h W' + b'`,
 * returning logits, so the reconstruction cross-entropy is computed stably from them. Greedy
 * layer-wise stacking: train one, encode the *clean* data with its encoder, build the next with
 * `inputShape: [units]` on those codes, and so on; then stack the encoders
 * (`tfl.sequential({ layers: [e1, e2, e3] })`) and fine-tune them under a classifier.
 *
 * @param options - `inputShape`, `units`, `tied` (true), `name` (`'dae'`)
 * @returns `{ encoder, autoencoder }`
 * @throws ArgumentError for a bad shape or width
 * @example
 * ```ts
 * const { encoder, autoencoder } = denseAutoencoder({ inputShape: [28, 28, 1], units: 500 });
 * const { inputs, targets } = denoisingTask(createKey(0), images, { level: 0.3 });
 * const loss = reconstructionCrossEntropy(autoencoder.apply(inputs) as tf.Tensor, targets);
 * ```
 * @see Vincent, Larochelle, Bengio, Manzagol 2008; deeplearning.net SdA tutorial (784-1000-1000-1000, tied)
 */
export function denseAutoencoder(options: DenseAutoencoderOptions): DenseAutoencoder {
  const {
    inputShape,
    units,
    tied = true,
    name = 'dae',
  } = checkOptions(options, ['inputShape', 'units', 'tied', 'name'], { op: OP });
  if (!Array.isArray(inputShape) || inputShape.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'inputShape',
      expected: 'a non-empty array of sizes',
      actual: String(inputShape),
    });
  }
  inputShape.forEach((d, i) => {
    checkInteger(OP, `inputShape[${i}]`, d, 1);
  });
  checkInteger(OP, 'units', units, 1);
  checkBoolean(tied, { op: OP, arg: 'tied' });
  const size = inputShape.reduce((a, b) => a * b, 1);
  const input = tfl.input({ shape: [...inputShape], name: `${name}_input` });
  const flat =
    inputShape.length > 1
      ? (tfl.layers.flatten({ name: `${name}_flatten` }).apply(input) as tfl.SymbolicTensor)
      : input;
  const encode = tfl.layers.dense({ units, activation: 'sigmoid', name: `${name}_encode` });
  const code = encode.apply(flat) as tfl.SymbolicTensor;
  const decode = tied
    ? new TiedDense({ source: encode, name: `${name}_decode` })
    : tfl.layers.dense({ units: size, name: `${name}_decode` });
  let logits = decode.apply(code) as tfl.SymbolicTensor;
  if (inputShape.length > 1) {
    logits = tfl.layers
      .reshape({ targetShape: [...inputShape], name: `${name}_unflatten` })
      .apply(logits) as tfl.SymbolicTensor;
  }
  return {
    encoder: tfl.model({ inputs: input, outputs: code, name: `${name}_encoder` }),
    autoencoder: tfl.model({ inputs: input, outputs: logits, name: `${name}_autoencoder` }),
  };
}
