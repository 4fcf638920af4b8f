import { createKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { extractFeatures, linearProbe, pca2d, weightedKnn } from '@genoise/eval';
import * as tf from '@tensorflow/tfjs-core';
import type { EvalRow } from './report';

/** Linear-probe schedule: Adam on standardised features; converged within these epochs on Fashion-MNIST-sized banks. */
export const PROBE_EPOCHS = 20;
export const PROBE_BATCH = 512;

/** A representation to evaluate: a name and a batch encoder `[B,H,W,C] -> [B,D]`. */
export interface Representation {
  readonly name: string;
  readonly encode: (images: tf.Tensor4D) => tf.Tensor2D;
}

/** Options of {@link evaluateRepresentations}. */
export interface EvaluateOptions {
  readonly train: Dataset;
  readonly test: Dataset;
  readonly probes: readonly ('knn' | 'linear')[];
  /** Train images used as the kNN bank and the probe's training set (default: all). */
  readonly trainLimit?: number | undefined;
  /** Test points kept for the 2-D embedding plot. */
  readonly embedPoints?: number;
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

/** kNN / linear-probe accuracy and a 2-D PCA embedding of the test set, per representation. */
export interface Evaluation {
  readonly rows: EvalRow[];
  readonly embeddings: { name: string; points: Float32Array; labels: Int32Array }[];
}

function labelsOf(dataset: Dataset, count: number): Int32Array {
  if (!dataset.labels)
    throw new Error(`dataset '${dataset.name}' has no labels: kNN and linear probes need them`);
  return dataset.labels.subarray(0, count);
}

/** Labels of the bank (the first `trainLimit` train images) and of the test split, and the class count. */
function probeLabels(options: Pick<EvaluateOptions, 'train' | 'test' | 'trainLimit'>) {
  const { train, test } = options;
  const trainCount = Math.min(options.trainLimit ?? train.size, train.size);
  const trainLabels = labelsOf(train, trainCount);
  const testLabels = labelsOf(test, test.size);
  const numClasses = train.numClasses ?? Math.max(...trainLabels, ...testLabels) + 1;
  return { trainLabels, testLabels, numClasses };
}

/** Features of the first `trainCount` train images and of the whole test split, `[N, D]` each. */
async function featuresOf(
  rep: Representation,
  { train, test }: Pick<EvaluateOptions, 'train' | 'test'>,
  trainCount: number,
): Promise<{ trainFeatures: tf.Tensor2D; testFeatures: tf.Tensor2D }> {
  const trainFeatures = await extractFeatures(rep.encode, (idx) => train.images(idx), trainCount, {
    batchSize: 500,
  });
  const testFeatures = await extractFeatures(rep.encode, (idx) => test.images(idx), test.size, {
    batchSize: 500,
  });
  return { trainFeatures, testFeatures };
}

/**
 * Extracts features of the train bank and the test split for each representation, then runs the
 * probes: weighted kNN (k 200, T 0.1, cosine) and a linear probe on standardised features.
 */
export async function evaluateRepresentations(
  representations: readonly Representation[],
  options: EvaluateOptions,
): Promise<Evaluation> {
  const { test, probes, log = () => {}, embedPoints = 2000, seed = 0 } = options;
  const { trainLabels, testLabels, numClasses } = probeLabels(options);
  const rows: EvalRow[] = [];
  const embeddings: Evaluation['embeddings'] = [];
  for (const rep of representations) {
    const started = performance.now();
    const { trainFeatures, testFeatures } = await featuresOf(rep, options, trainLabels.length);
    try {
      const knn = probes.includes('knn')
        ? await weightedKnn({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses })
        : undefined;
      const linear = probes.includes('linear')
        ? await linearProbe({
            trainFeatures,
            trainLabels,
            testFeatures,
            testLabels,
            numClasses,
            key: createKey(seed),
          })
        : undefined;
      rows.push({
        name: rep.name,
        featureDim: trainFeatures.shape[1],
        knnTop1: knn?.top1,
        linearTop1: linear?.top1,
      });
      const keep = Math.min(embedPoints, test.size);
      const points = tf.tidy(() => pca2d(tf.slice(testFeatures, [0, 0], [keep, -1]) as tf.Tensor2D));
      embeddings.push({
        name: rep.name,
        points: Float32Array.from(await points.data()),
        labels: testLabels.slice(0, keep),
      });
      points.dispose();
      log(`  ${rep.name}: evaluated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      tf.dispose([trainFeatures, testFeatures]);
    }
  }
  return { rows, embeddings };
}

/**
 * Weighted-kNN top-1 (k 200, T 0.1, cosine) of one representation on the test split, with the first
 * `trainLimit` train images as the bank: the monitor `--knn-every` runs during training.
 */
export async function knnTop1(
  rep: Representation,
  options: Pick<EvaluateOptions, 'train' | 'test' | 'trainLimit'>,
): Promise<number> {
  const { trainLabels, testLabels, numClasses } = probeLabels(options);
  const { trainFeatures, testFeatures } = await featuresOf(rep, options, trainLabels.length);
  try {
    const knn = await weightedKnn({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses });
    return knn.top1;
  } finally {
    tf.dispose([trainFeatures, testFeatures]);
  }
}

/** Raw pixels, flattened: the baseline a representation should beat. */
export const rawPixels: Representation = {
  name: 'raw pixels',
  encode: (images) => tf.reshape(images, [images.shape[0], -1]) as tf.Tensor2D,
};
