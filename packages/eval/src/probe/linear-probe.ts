import {
  checkBoolean,
  checkInteger,
  checkKey,
  checkNumber,
  foldIn,
  type Key,
  normalValues,
  permutationValues,
  shapeBindings,
  splitKey,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { columnStatistics } from '../features/standardize';
import { accuracyOf, confusionOf } from '../internal/counting';
import { rows as rowsOf } from '../internal/rows';
import {
  checkFeatures,
  checkLabelsShape,
  type Labels,
  readLabels,
  yieldToEventLoop,
} from '../internal/validate';

/** Options of {@link linearProbe}. */
export interface LinearProbeOptions {
  /** `[N, D]` float32 frozen features of the training set. */
  readonly trainFeatures: tf.Tensor2D;
  /** `[N]` class ids in `[0, numClasses)`. */
  readonly trainLabels: Labels;
  /** `[M, D]` float32 frozen features of the test set. */
  readonly testFeatures: tf.Tensor2D;
  /** `[M]` class ids in `[0, numClasses)`. */
  readonly testLabels: Labels;
  /** The number of classes C, a positive integer. */
  readonly numClasses: number;
  /** Standardise every feature with the TRAIN mean and standard deviation (applied to test too). Default true. */
  readonly standardize?: boolean;
  /** Passes over the training set, a positive integer. Default 100. */
  readonly epochs?: number;
  /** Examples per Adam step, a positive integer (the last batch of an epoch may be smaller). Default 256. */
  readonly batchSize?: number;
  /**
   * Adam step size, > 0. Default 0.01: on standardised features this converges in well under 100 epochs
   * (see the README for measured times), where Keras' 0.001 needs several times as many.
   */
  readonly learningRate?: number;
  /** L2 penalty `(weightDecay / 2) · ||W||²` added to the loss (not on the bias), >= 0. Default 0. */
  readonly weightDecay?: number;
  /** The key that draws the initial weights and the batch order of every epoch. */
  readonly key: Key;
}

/** Result of {@link linearProbe}. */
export interface LinearProbeResult {
  /** Test accuracy of the trained softmax classifier, in [0, 1]. */
  readonly top1: number;
  /** Training accuracy, in [0, 1]; far above `top1` means the probe overfits. */
  readonly trainTop1: number;
  /** `C x C` test confusion counts: row = true class, column = predicted class; row i sums to class i's count. */
  readonly confusion: number[][];
}

const PREDICT_CHUNK = 4096;

interface CheckedProbe {
  readonly n: number;
  readonly d: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
}

function checkOptions(options: LinearProbeOptions): CheckedProbe {
  const op = 'linearProbe';
  const { trainFeatures, trainLabels, testFeatures, testLabels, numClasses } = options;
  const {
    standardize = true,
    epochs = 100,
    batchSize = 256,
    learningRate = 0.01,
    weightDecay = 0,
    key,
  } = options;
  const dims = shapeBindings();
  checkFeatures(trainFeatures, ['N', 'D'], op, 'trainFeatures', dims);
  checkFeatures(testFeatures, ['M', 'D'], op, 'testFeatures', dims);
  const n = dims.get('N')!;
  checkLabelsShape(trainLabels, n, op, 'trainLabels', 'trainFeatures');
  checkLabelsShape(testLabels, dims.get('M')!, op, 'testLabels', 'testFeatures');
  checkInteger(numClasses, { op, arg: 'numClasses', min: 1 });
  checkBoolean(standardize, { op, arg: 'standardize' });
  checkInteger(epochs, { op, arg: 'epochs', min: 1 });
  checkInteger(batchSize, { op, arg: 'batchSize', min: 1 });
  checkNumber(learningRate, { op, arg: 'learningRate', min: 0, exclusiveMin: true });
  checkNumber(weightDecay, { op, arg: 'weightDecay', min: 0 });
  checkKey(key, op);
  return { n, d: dims.get('D')!, epochs, batchSize, learningRate, weightDecay };
}

/** Train and test features, standardised with the train statistics when asked; new tensors. */
function prepareFeatures(
  train: tf.Tensor2D,
  test: tf.Tensor2D,
  standardize: boolean,
): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    if (!standardize) return [tf.clone(train), tf.clone(test)];
    const { mean, std } = columnStatistics(train);
    return [tf.div(tf.sub(train, mean), std) as tf.Tensor2D, tf.div(tf.sub(test, mean), std) as tf.Tensor2D];
  });
}

/** Arg-max class of `x W + b`, computed in row blocks. */
async function predict(x: tf.Tensor2D, weights: tf.Variable, bias: tf.Variable): Promise<Int32Array> {
  const rows = x.shape[0];
  const out = new Int32Array(rows);
  for (let start = 0; start < rows; start += PREDICT_CHUNK) {
    const size = Math.min(PREDICT_CHUNK, rows - start);
    const classes = tf.tidy(() => tf.argMax(tf.add(tf.matMul(rowsOf(x, start, size), weights), bias), 1));
    out.set(await classes.data(), start);
    classes.dispose();
  }
  return out;
}

/**
 * Gradients of `L = -(1/B) Σ_i Σ_c y_ic log softmax(x W + b)_ic + (weightDecay / 2) ||W||²`, in closed form
 * (`∂L/∂logits = (softmax - y) / B`), which skips the tape: about half the kernels of `optimizer.minimize`.
 * Checked against `tf.variableGrads` in the tests.
 */
export function softmaxGradients(
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  weights: tf.Variable,
  bias: tf.Variable,
  weightDecay: number,
): { name: string; tensor: tf.Tensor }[] {
  return tf.tidy(() => {
    const logits = tf.add(tf.matMul(x, weights), bias); // [B, C]
    const delta = tf.div(tf.sub(tf.softmax(logits), y), x.shape[0]); // [B, C]
    const weightGradient = tf.matMul(x, delta, true, false); // [D, C]
    return [
      {
        name: weights.name,
        tensor: weightDecay === 0 ? weightGradient : tf.add(weightGradient, tf.mul(weights, weightDecay)),
      },
      { name: bias.name, tensor: tf.sum(delta, 0) },
    ];
  });
}

/**
 * Linear evaluation of frozen features: a softmax layer `p(c | x) = softmax(x W + b)_c`, `W [D, C]`,
 * `b [C]`, trained with Adam on the mean cross-entropy
 * `L = -(1/B) Σ_i log p(y_i | x_i) + (weightDecay / 2) · ||W||²` over shuffled mini-batches.
 * Features are standardised with the TRAIN mean and standard deviation (`x' = (x - μ) / σ`), the same
 * statistics applied to test. `W` starts from `N(0, 0.01²)` and `b` from 0, drawn from `key`; the batch
 * order of epoch e is a permutation drawn from `foldIn(key', e)`, so a key fixes the whole run on a
 * backend. The variables and the optimiser state are disposed before the promise resolves.
 *
 * @param options - see {@link LinearProbeOptions}: `trainFeatures [N, D]`, `trainLabels [N]`,
 *   `testFeatures [M, D]`, `testLabels [M]`, `numClasses`, `standardize = true`, `epochs = 100`,
 *   `batchSize = 256`, `learningRate = 0.01`, `weightDecay = 0`, `key`
 * @returns a promise of `{ top1, trainTop1, confusion }` (confusion on the test set, `C x C`)
 * @throws ShapeError when features are not rank 2, D differs, or a label count differs from its rows;
 *   DTypeError when features are not float32; ArgumentError when a label lies outside `[0, numClasses)`,
 *   an option is out of range, or `key` is not a Key
 * @example
 * ```ts
 * const { top1 } = await linearProbe({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses: 10, key: createKey(0) });
 * ```
 * @see Zhang, Isola and Efros, "Colorful Image Colorization", ECCV 2016 (linear classification protocol)
 * @see Kolesnikov, Zhai and Beyer, "Revisiting Self-Supervised Visual Representation Learning", CVPR 2019
 */
export async function linearProbe(options: LinearProbeOptions): Promise<LinearProbeResult> {
  const op = 'linearProbe';
  const { n, d, epochs, batchSize, learningRate, weightDecay } = checkOptions(options);
  const {
    trainFeatures,
    trainLabels,
    testFeatures,
    testLabels,
    numClasses,
    standardize = true,
    key,
  } = options;
  const train = await readLabels(trainLabels, numClasses, op, 'trainLabels');
  const test = await readLabels(testLabels, numClasses, op, 'testLabels');

  const [initKey, orderKey] = splitKey(key, 2) as [Key, Key];
  const [trainX, testX] = prepareFeatures(trainFeatures, testFeatures, standardize);
  const trainTargets = tf.tidy(() => tf.oneHot(tf.tensor1d(train, 'int32'), numClasses)); // [N, C]
  // tf.variable shares the initial tensor's data; the tidy frees the initial tensor itself.
  const weights = tf.tidy(() =>
    tf.variable(tf.tensor2d(normalValues(initKey, d * numClasses, 0, 0.01), [d, numClasses])),
  );
  const bias = tf.tidy(() => tf.variable(tf.zeros([numClasses])));
  const optimizer = tf.train.adam(learningRate);
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = permutationValues(foldIn(orderKey, epoch), n);
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        tf.tidy(() => {
          // Gather each batch's rows directly (wasm's slice copies the whole matrix out first).
          const batch = tf.tensor1d(order.subarray(start, start + size), 'int32');
          const x = tf.gather(trainX, batch) as tf.Tensor2D; // [B, D]
          const y = tf.gather(trainTargets, batch) as tf.Tensor2D; // [B, C]
          optimizer.applyGradients(softmaxGradients(x, y, weights, bias, weightDecay));
        });
      }
      await yieldToEventLoop();
    }
    const trainPredictions = await predict(trainX, weights, bias);
    const testPredictions = await predict(testX, weights, bias);
    return {
      top1: accuracyOf(testPredictions, test),
      trainTop1: accuracyOf(trainPredictions, train),
      confusion: confusionOf(testPredictions, test, numClasses),
    };
  } finally {
    optimizer.dispose();
    tf.dispose([trainX, testX, trainTargets, weights, bias]);
  }
}
