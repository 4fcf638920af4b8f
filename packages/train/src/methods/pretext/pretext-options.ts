import { checkInteger, checkOneOf, type Key, resizeBilinear } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { initializeWeights } from '@genoise/models';
import { classificationLoss } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { MethodOptions, TrainConfig, TrainDefaults } from '../../config/train-config';
import type { MethodLoss } from '../../method/method';
import {
  type EncoderConfig,
  invalid,
  REPRESENTATION_OPTIONS,
} from '../representation/representation-options';

/** Options every pretext method has: the encoder it trains (the same one the contrastive methods train). */
export interface PretextOptions extends MethodOptions {
  readonly encoder: EncoderConfig;
}

/**
 * The pretext methods' shared options: the representation methods' encoder (16-32-64, stride-only), so the
 * layer-wise table compares one network trained many ways.
 */
export const PRETEXT_OPTIONS = { encoder: REPRESENTATION_OPTIONS.encoder };

/** Shared-field defaults of the pretext methods (the budget is each method's). */
export const PRETEXT_DEFAULTS: TrainDefaults = {
  batchSize: 128,
  learningRate: 2e-3,
  warmupFraction: 0.05,
  schedule: 'cosine',
  checkpointEvery: 100,
};

const OP = 'resolveTrainConfig';

/** Validates the encoder and a batch of at least one image. */
export function checkPretext(config: TrainConfig<PretextOptions>): void {
  const encoder = config.method.encoder;
  checkOneOf(encoder.name, ['small-convnet', 'resnet18'], { op: OP, arg: 'method.encoder.name' });
  checkInteger(config.batchSize, { op: OP, arg: 'batchSize', min: 1 });
}

/** Checks that `value` is a list of positive integer widths, naming `field`. */
export function widthsOption(value: unknown, field: string): void {
  if (!Array.isArray(value)) invalid(field, 'an array of positive integers', value);
  (value as unknown[]).forEach((w, i) => {
    checkInteger(w, { op: OP, arg: `${field}[${i}]`, min: 1 });
  });
}

/** The architecture a resumed pretext run must share with its checkpoint. */
export function pretextIdentity(options: PretextOptions): unknown {
  return options.encoder;
}

/**
 * The images `indices` of `data`, resized (bilinear, half-pixel) to `size x size` when that differs from
 * their own size. The caller owns the result.
 */
export function imagesAt(data: Dataset, indices: readonly number[], size?: number): tf.Tensor4D {
  const images = data.images(indices);
  const [, h, w] = images.shape;
  if (size === undefined || (h === size && w === size)) return images;
  const resized = resizeBilinear(images, [size, size]);
  images.dispose();
  return resized;
}

/** Top-1 accuracy of `logits` `[N, K]` against int32 `labels` `[N]`, a scalar in [0, 1] (no gradient needed). */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
}

/** A classification task's loss: the cross-entropy of `logits` `[N, K]` against int32 `labels` `[N]`, with the accuracy as a term. */
export function classifierLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): MethodLoss {
  return {
    loss: classificationLoss(logits, labels) as tf.Scalar,
    terms: { accuracy: accuracy(logits, labels) },
  };
}

/**
 * A classifier head `[B, inputDim] -> [B, classes]` logits: ReLU dense layers of `hidden` widths, then a
 * linear layer, weights drawn from `key` (`initializeWeights`).
 */
export function classifierHead(options: {
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly classes: number;
  readonly key: Key;
  readonly name: string;
}): tfl.LayersModel {
  const { inputDim, hidden, classes, key, name } = options;
  const input = tfl.input({ shape: [inputDim], name: `${name}_input` });
  let h: tfl.SymbolicTensor = input;
  hidden.forEach((units, i) => {
    h = tfl.layers
      .dense({ units, activation: 'relu', name: `${name}_hidden${i}` })
      .apply(h) as tfl.SymbolicTensor;
  });
  const logits = tfl.layers.dense({ units: classes, name: `${name}_logits` }).apply(h) as tfl.SymbolicTensor;
  return initializeWeights(tfl.model({ inputs: input, outputs: logits, name }), key);
}

/** The encoder's features of `x` `[N, H, W, C]` in training mode, `[N, D]`. */
export function encode(encoder: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor2D {
  return encoder.apply(x, { training: true }) as tf.Tensor2D;
}
