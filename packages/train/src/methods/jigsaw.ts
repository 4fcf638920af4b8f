import { checkInteger, checkNumber } from '@genoise/core';
import { jigsawPermutations, jigsawTask } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
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

/** Jigsaw's options. */
export interface JigsawOptions extends PretextOptions {
  readonly name: 'jigsaw';
  /** Images are resized to this side before tiling, a multiple of 3. Default 45 (15 px cells for 28 px data). */
  readonly imageSize: number;
  /** How many permutations the network tells apart (the paper: 1000 of 9!). Default 100. */
  readonly permutations: number;
  /** Tile side inside each cell (the gap and jitter). Default 11: `round(cell * 64 / 85)` for 15 px cells (the paper's 64 px tiles in 85 px cells). */
  readonly tileSize: number;
  /** Random tile position inside its cell (breaks edge continuity). Default true. */
  readonly jitter: boolean;
  /** Standardise each tile by its own statistics (the low-level-statistics shortcut). Default true. */
  readonly normalize: boolean;
  /** Probability of a grey image (colour data only). Default 0.3. */
  readonly grayscale: number;
  /** Hidden widths of the head over the 9 concatenated tile features. Default `[256]` (the paper's fc7, scaled). */
  readonly hidden: readonly number[];
}

/** A jigsaw batch: the shuffled tiles and the permutation index. */
export interface JigsawBatch extends tf.NamedTensorMap {
  /** `[B, 9, T, T, C]`. */
  readonly inputs: tf.Tensor;
  /** `[B]` int32 permutation index. */
  readonly targets: tf.Tensor1D;
}

/**
 * Each image standardised by its own mean and standard deviation per channel (a flat image's std counts
 * as 1): what the encoder saw of each tile in training, so evaluation (and its batch-norm statistics)
 * sees the same kind of input.
 */
function standardizeImages(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(images, [1, 2], true);
    const std = tf.sqrt(variance);
    return tf.div(tf.sub(images, mean), tf.where(tf.less(std, 1e-6), tf.onesLike(std), std)) as tf.Tensor4D;
  });
}

/**
 * Jigsaw puzzles (Noroozi & Favaro 2016): 3x3 tiles with gaps and jitter, shuffled by one of N
 * permutations chosen for maximal mean Hamming distance; one encoder per tile (siamese, shared
 * weights; the 9 tiles of a batch go through it as one batch of 9B), the 9 features concatenated in
 * position order, an MLP head over N classes. The set is the authors' greedy choice from index 0.
 * With per-tile standardisation (the default), evaluation standardises each whole image the same way
 * (`encoderInput`): measured on Fashion-MNIST, probing raw [0, 1] images instead left the trained
 * encoder's batch-norm statistics mismatched and its best layer no better than random init.
 *
 * @see Noroozi & Favaro 2016, "Unsupervised Learning of Visual Representations by Solving Jigsaw Puzzles"
 */
export const jigsaw = pretextMethod<JigsawOptions, JigsawBatch>({
  name: 'jigsaw',
  summary: 'Jigsaw: reorder 3x3 shuffled tiles, one of N maximally distant permutations',
  paper: 'Noroozi & Favaro 2016, Unsupervised Learning of Visual Representations by Solving Jigsaw Puzzles',
  defaults: { batchSize: 64, steps: 600 },
  budgets: { tensorflow: 1500 },
  options: {
    imageSize: 45,
    permutations: 100,
    tileSize: 11,
    jitter: true,
    normalize: true,
    grayscale: 0.3,
    hidden: [256],
  },
  validate(config) {
    const m = config.method;
    const op = 'resolveTrainConfig';
    checkInteger(m.imageSize, { op, arg: 'method.imageSize', min: 3 });
    if (m.imageSize % 3 !== 0)
      invalid('method.imageSize', 'a multiple of 3 (three cells a side)', m.imageSize);
    checkInteger(m.permutations, { op, arg: 'method.permutations', min: 2, max: 1000 });
    if (m.tileSize !== undefined)
      checkInteger(m.tileSize, { op, arg: 'method.tileSize', min: 1, max: m.imageSize / 3 });
    if (typeof m.jitter !== 'boolean') invalid('method.jitter', 'a boolean', m.jitter);
    if (typeof m.normalize !== 'boolean') invalid('method.normalize', 'a boolean', m.normalize);
    checkNumber(m.grayscale, { op, arg: 'method.grayscale', min: 0, max: 1 });
    widthsOption(m.hidden, 'method.hidden');
  },
  identity: (o) => [o.imageSize, o.permutations, o.tileSize, o.hidden],
  build({ options, encoder, key }) {
    const permutations = jigsawPermutations({ count: options.permutations, first: 0 });
    const head = classifierHead({
      inputDim: 9 * featureDim(encoder),
      hidden: options.hidden,
      classes: options.permutations,
      key,
      name: 'jigsaw_head',
    });
    return {
      head: { name: 'head', model: head },
      imageSize: options.imageSize,
      ...(options.normalize ? { encoderInput: standardizeImages } : {}),
      batch(images, stepKey) {
        const { inputs, targets } = jigsawTask(stepKey, images, {
          permutations,
          tileSize: options.tileSize,
          jitter: options.jitter,
          normalize: options.normalize,
          grayscale: options.grayscale,
        });
        return { inputs, targets };
      },
      loss({ inputs, targets }) {
        const [B, nine, T, , C] = inputs.shape as number[];
        const tiles = tf.reshape(inputs, [B! * nine!, T!, T!, C!]) as tf.Tensor4D;
        const features = tf.reshape(encode(encoder, tiles), [B!, -1]); // [B, 9D], position order
        return classifierLoss(head.apply(features, { training: true }) as tf.Tensor2D, targets);
      },
    };
  },
});
