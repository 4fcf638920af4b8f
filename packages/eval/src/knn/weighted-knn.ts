import { checkInteger, checkNumber, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { cosineChunk, normalizedTranspose } from '../internal/cosine';
import {
  checkFeatures,
  checkLabelsShape,
  type Labels,
  readLabels,
  yieldToEventLoop,
} from '../internal/validate';

/** Options of {@link weightedKnn}. */
export interface WeightedKnnOptions {
  /** `[N, D]` float32 features of the labelled (training) set. */
  readonly trainFeatures: tf.Tensor2D;
  /** `[N]` class ids in `[0, numClasses)`. */
  readonly trainLabels: Labels;
  /** `[M, D]` float32 features to classify. */
  readonly testFeatures: tf.Tensor2D;
  /** `[M]` class ids in `[0, numClasses)`. */
  readonly testLabels: Labels;
  /** The number of classes C, a positive integer. */
  readonly numClasses: number;
  /** Neighbours that vote, an integer in `[1, N]`. Default 200 (InstDisc, MoCo). */
  readonly k?: number;
  /** Temperature T of the vote weights `exp(s / T)`, > 0. Default 0.1. */
  readonly temperature?: number;
  /** Test rows per similarity block; memory is `chunkSize x N` floats. Default 256. */
  readonly chunkSize?: number;
}

/** Result of {@link weightedKnn}. */
export interface WeightedKnnResult {
  /** Share of test rows whose highest-voted class is the label, in [0, 1]. */
  readonly top1: number;
  /** Share of test rows whose label is among the five highest-voted classes (all C when C < 5). */
  readonly top5: number;
  /** `[M]` the highest-voted class of every test row. */
  readonly predictions: Int32Array;
}

/**
 * Weighted k-nearest-neighbour classification of frozen features, as InstDisc and the MoCo colab
 * monitor representations: features are L2-normalised, `s_ij = <x̂_i, ŷ_j>` is the cosine similarity
 * of test row i to train row j, the k most similar train rows `N_k(i)` vote, and
 * `score_i(c) = Σ_{j ∈ N_k(i)} exp(s_ij / T) · [y_j = c]`; the prediction is `argmax_c score_i(c)`.
 *
 * Similarities are computed in blocks of `chunkSize` test rows, so memory stays at
 * `chunkSize x N` floats; the function awaits the event loop between blocks.
 *
 * @param options - see {@link WeightedKnnOptions}: `trainFeatures [N, D]`, `trainLabels [N]`,
 *   `testFeatures [M, D]`, `testLabels [M]`, `numClasses`, `k = 200`, `temperature = 0.1`, `chunkSize = 256`
 * @returns a promise of `{ top1, top5, predictions [M] }`
 * @throws ShapeError when features are not rank 2, D differs, or a label count differs from its rows;
 *   DTypeError when features are not float32; ArgumentError when `k > N`, a label lies outside
 *   `[0, numClasses)`, or an option is out of range
 * @example
 * ```ts
 * const { top1, top5 } = await weightedKnn({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses: 10 });
 * ```
 * @see Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance Discrimination", CVPR 2018
 * @see He et al., "Momentum Contrast for Unsupervised Visual Representation Learning", CVPR 2020
 */
export async function weightedKnn(options: WeightedKnnOptions): Promise<WeightedKnnResult> {
  const op = 'weightedKnn';
  const {
    trainFeatures,
    trainLabels,
    testFeatures,
    testLabels,
    numClasses,
    k = 200,
    temperature = 0.1,
    chunkSize = 256,
  } = options;
  const dims = shapeBindings();
  checkFeatures(trainFeatures, ['N', 'D'], op, 'trainFeatures', dims);
  checkFeatures(testFeatures, ['M', 'D'], op, 'testFeatures', dims);
  const n = dims.get('N')!;
  const m = dims.get('M')!;
  checkLabelsShape(trainLabels, n, op, 'trainLabels', 'trainFeatures');
  checkLabelsShape(testLabels, m, op, 'testLabels', 'testFeatures');
  checkInteger(numClasses, { op, arg: 'numClasses', min: 1 });
  checkInteger(k, { op, arg: 'k', min: 1, max: n });
  checkNumber(temperature, { op, arg: 'temperature', min: 0, exclusiveMin: true });
  checkInteger(chunkSize, { op, arg: 'chunkSize', min: 1 });
  const train = await readLabels(trainLabels, numClasses, op, 'trainLabels');
  const test = await readLabels(testLabels, numClasses, op, 'testLabels');

  const topClasses = Math.min(5, numClasses);
  const predictions = new Int32Array(m);
  let hits1 = 0;
  let hits5 = 0;
  const database = normalizedTranspose(trainFeatures); // [D, N]
  const databaseLabels = tf.tensor1d(train, 'int32');
  try {
    for (let start = 0; start < m; start += chunkSize) {
      const end = Math.min(m, start + chunkSize);
      const ranked = tf.tidy(() => {
        const similarity = cosineChunk(testFeatures, database, start, end); // [c, N]
        const neighbours = tf.topk(similarity, k); // [c, k]
        const votes = tf.oneHot(tf.gather(databaseLabels, neighbours.indices), numClasses); // [c, k, C]
        const weights = tf.exp(tf.div(neighbours.values, temperature)); // [c, k]
        const scores = tf.sum(tf.mul(votes, tf.expandDims(weights, 2)), 1); // [c, C]
        return tf.topk(scores, topClasses).indices; // [c, topClasses]
      });
      const classes = await ranked.data();
      ranked.dispose();
      for (let row = start; row < end; row++) {
        const base = (row - start) * topClasses;
        const label = test[row]!;
        predictions[row] = classes[base]!;
        if (classes[base] === label) hits1++;
        for (let t = 0; t < topClasses; t++) {
          if (classes[base + t] === label) {
            hits5++;
            break;
          }
        }
      }
      if (end < m) await yieldToEventLoop();
    }
  } finally {
    database.dispose();
    databaseLabels.dispose();
  }
  return { top1: hits1 / m, top5: hits5 / m, predictions };
}
