import { ArgumentError, createKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { extractFeatures } from '../features/extract-features';
import { weightedKnn } from '../knn/weighted-knn';
import { linearProbe } from '../probe/linear-probe';
import { pca2d } from '../projection/pca2d';

/** The evaluation protocol's default kNN: k 200, temperature 0.1, cosine (InstDisc, MoCo's monitor). */
export const KNN_K = 200;

/** Labelled images as the protocol reads them (every `@genoise/data` Dataset with labels fits). */
export interface LabelledImages {
  readonly name: string;
  readonly size: number;
  readonly numClasses?: number | undefined;
  readonly labels: Int32Array | undefined;
  /** Float32 `[n, H, W, C]` for the given indices; the caller disposes it. */
  images(indices: ArrayLike<number>): tf.Tensor4D;
}

/** A representation to evaluate: a name and a batch encoder `[B, H, W, C] -> [B, D]`. */
export interface Representation {
  readonly name: string;
  readonly encode: (images: tf.Tensor4D) => tf.Tensor2D;
}

/** Options of {@link evaluateRepresentations}. */
export interface EvaluateRepresentationsOptions {
  readonly train: LabelledImages;
  readonly test: LabelledImages;
  /** Which probes to run. Default both. */
  readonly probes?: readonly ('knn' | 'linear')[];
  /** Train images (the first ones) used as the kNN bank and the probe's training set. Default all. */
  readonly trainLimit?: number | undefined;
  /** Test points kept for the 2-D embedding. Default 2000. */
  readonly embedPoints?: number;
  /** Seed of the linear probe. Default 0. */
  readonly seed?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** One representation's result. */
export interface RepresentationRow {
  readonly name: string;
  readonly featureDim: number;
  readonly knnTop1: number | undefined;
  readonly linearTop1: number | undefined;
}

/** Rows, 2-D embeddings of the test split, and the kNN's k (clamped to the bank). */
export interface RepresentationEvaluation {
  readonly rows: RepresentationRow[];
  readonly embeddings: { name: string; points: Float32Array; labels: Int32Array }[];
  /** The k the kNN used: {@link KNN_K}, or the bank size when the bank is smaller. */
  readonly k: number;
  /** Images in the kNN bank and the probe's training set. */
  readonly bankSize: number;
}

function labelsOf(dataset: LabelledImages, count: number): Int32Array {
  if (!dataset.labels)
    throw new ArgumentError({
      op: 'evaluateRepresentations',
      argument: 'train',
      message: `evaluateRepresentations: dataset '${dataset.name}' has no labels; kNN and linear probes need them.`,
    });
  return dataset.labels.subarray(0, count);
}

/** Labels of the bank (the first `trainLimit` train images) and of the test split, the class count and k. */
export function probeLabels(options: Pick<EvaluateRepresentationsOptions, 'train' | 'test' | 'trainLimit'>) {
  const { train, test } = options;
  const trainCount = Math.min(options.trainLimit ?? train.size, train.size);
  const trainLabels = labelsOf(train, trainCount);
  const testLabels = labelsOf(test, test.size);
  const numClasses = train.numClasses ?? Math.max(...trainLabels, ...testLabels) + 1;
  return { trainLabels, testLabels, numClasses, k: Math.min(KNN_K, trainCount) };
}

async function featuresOf(
  rep: Representation,
  { train, test }: Pick<EvaluateRepresentationsOptions, 'train' | 'test'>,
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
 * The representation evaluation protocol of the trainer and the studio: features of the bank (the
 * first `trainLimit` train images) and of the test split for each representation, then a weighted kNN
 * (k 200 — clamped to the bank size for small banks —, temperature 0.1, cosine) and a linear probe on
 * standardised features, and a 2-D PCA of the test features.
 *
 * @throws ArgumentError when a split has no labels
 * @example
 * ```ts
 * const { rows } = await evaluateRepresentations([{ name: 'encoder', encode: (x) => encoder.predict(x) as tf.Tensor2D }], { train, test, trainLimit: 10_000 });
 * ```
 */
export async function evaluateRepresentations(
  representations: readonly Representation[],
  options: EvaluateRepresentationsOptions,
): Promise<RepresentationEvaluation> {
  const { test, probes = ['knn', 'linear'], log = () => {}, embedPoints = 2000, seed = 0 } = options;
  const { trainLabels, testLabels, numClasses, k } = probeLabels(options);
  const rows: RepresentationRow[] = [];
  const embeddings: RepresentationEvaluation['embeddings'] = [];
  for (const rep of representations) {
    const started = performance.now();
    const { trainFeatures, testFeatures } = await featuresOf(rep, options, trainLabels.length);
    try {
      const knn = probes.includes('knn')
        ? await weightedKnn({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses, k })
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
  return { rows, embeddings, k, bankSize: trainLabels.length };
}

/** Weighted-kNN top-1 of one representation on the test split (the trainer's `--knn-every` monitor). */
export async function knnTop1(
  rep: Representation,
  options: Pick<EvaluateRepresentationsOptions, 'train' | 'test' | 'trainLimit'>,
): Promise<number> {
  const { trainLabels, testLabels, numClasses, k } = probeLabels(options);
  const { trainFeatures, testFeatures } = await featuresOf(rep, options, trainLabels.length);
  try {
    const knn = await weightedKnn({ trainFeatures, trainLabels, testFeatures, testLabels, numClasses, k });
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
