import { rotationTask } from '@genoise/pretext';
import type * as tf from '@tensorflow/tfjs-core';
import { pretextMethod } from './pretext/pretext-method';
import {
  classifierHead,
  classifierLoss,
  encode,
  type PretextOptions,
  widthsOption,
} from './pretext/pretext-options';
import { featureDim } from './representation/backbone';
import { invalid } from './representation/representation-options';

/** RotNet's options: the encoder, which rotations a batch holds, and the head's hidden widths. */
export interface RotationOptions extends PretextOptions {
  readonly name: 'rotation';
  /** `'all'`: the four rotations of every image in the batch (RotNet's loader, 4B inputs); `'random'`: one each. */
  readonly mode: 'all' | 'random';
  /** ReLU hidden widths between the features and the 4 logits. Default `[]` (a linear head, so the features must separate the rotations). */
  readonly hidden: readonly number[];
}

/** A rotation batch: rotated images and their quarter-turn labels. */
export interface RotationBatch extends tf.NamedTensorMap {
  /** `[4B, H, H, C]` (or `[B, ...]` with `'random'`). */
  readonly inputs: tf.Tensor4D;
  /** `[4B]` int32 quarter turns 0..3. */
  readonly targets: tf.Tensor1D;
}

/**
 * Rotation prediction (RotNet): every image rotated by 0, 90, 180 and 270 degrees (exact, by
 * transpose and flip), and a 4-way classifier on the encoder's features. To tell the rotation the
 * encoder must find the object's canonical orientation: what is up in a shoe, a shirt, a digit.
 *
 * @see Gidaris, Singh, Komodakis 2018, "Unsupervised Representation Learning by Predicting Image Rotations"
 */
export const rotation = pretextMethod<RotationOptions, RotationBatch>({
  name: 'rotation',
  summary: 'RotNet: predict which of four rotations an image shows',
  paper: 'Gidaris, Singh, Komodakis 2018, Unsupervised Representation Learning by Predicting Image Rotations',
  defaults: { batchSize: 64, steps: 600 },
  budgets: { tensorflow: 1500 },
  options: { mode: 'all', hidden: [] },
  validate(config) {
    const { mode, hidden } = config.method;
    if (mode !== 'all' && mode !== 'random') invalid('method.mode', "'all' | 'random'", mode);
    widthsOption(hidden, 'method.hidden');
  },
  identity: (o) => [o.hidden],
  build({ options, encoder, key }) {
    const head = classifierHead({
      inputDim: featureDim(encoder),
      hidden: options.hidden,
      classes: 4,
      key,
      name: 'rotation_head',
    });
    return {
      head: { name: 'head', model: head },
      batch(images, stepKey) {
        const { inputs, targets } = rotationTask(stepKey, images, { mode: options.mode });
        return { inputs, targets };
      },
      loss: ({ inputs, targets }) =>
        classifierLoss(head.apply(encode(encoder, inputs), { training: true }) as tf.Tensor2D, targets),
    };
  },
});
