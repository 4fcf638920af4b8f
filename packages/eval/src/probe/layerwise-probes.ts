import { ArgumentError, checkOptions, describeValue, type Key, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { linearProbe } from './linear-probe';

/** One stage's features as {@link layerwiseProbes} reads them (an `extractStageFeatures` entry fits). */
export interface ProbeStage {
  /** The stage's name, the same in train and test. */
  readonly name: string;
  /** Features per example. */
  readonly dim: number;
  /** Row-major `[N, dim]` features. */
  readonly features: Float32Array;
}

/** A split for {@link layerwiseProbes}: the stages of its N examples and their labels. */
export interface ProbeSplit {
  /** One entry per stage, in the same order in train and test. */
  readonly stages: readonly ProbeStage[];
  /** `[N]` class ids in `[0, numClasses)`. */
  readonly labels: Int32Array;
}

/** Options of {@link layerwiseProbes}. */
export interface LayerwiseProbesOptions {
  readonly train: ProbeSplit;
  readonly test: ProbeSplit;
  /** The number of classes C, a positive integer. */
  readonly numClasses: number;
  /** Passes over the training set per head, a positive integer. Default 100 (as {@link linearProbe}). */
  readonly epochs?: number;
  /** Examples per Adam step. Default 256. */
  readonly batchSize?: number;
  /** Adam step size. Default 0.01. */
  readonly learningRate?: number;
  /** L2 penalty on each head's weights. Default 0. */
  readonly weightDecay?: number;
  /** Draws every head's initial weights and batch order (the same key for each layer). */
  readonly key: Key;
  /** Called after each layer's head with its row, e.g. to print progress. */
  readonly onLayer?: (row: LayerProbeRow, index: number) => void;
}

/** One row of the layer-wise table. */
export interface LayerProbeRow {
  readonly name: string;
  /** Features per example the head saw. */
  readonly dim: number;
  /** Training accuracy of the layer's linear head, in [0, 1]. */
  readonly trainAccuracy: number;
  /** Test accuracy of the layer's linear head, in [0, 1]. */
  readonly testAccuracy: number;
}

const OP = 'layerwiseProbes';

function checkSplit(split: unknown, arg: 'train' | 'test'): asserts split is ProbeSplit {
  const s = split as ProbeSplit | undefined;
  if (s === null || typeof s !== 'object' || !Array.isArray(s.stages) || !(s.labels instanceof Int32Array)) {
    throw new ArgumentError({
      op: OP,
      argument: arg,
      expected: '{ stages: { name, dim, features: Float32Array }[], labels: Int32Array }',
      actual: describeValue(split),
    });
  }
  if (s.stages.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: `${arg}.stages`,
      expected: 'at least one stage',
      actual: '[]',
    });
  }
  s.stages.forEach((stage, i) => {
    const where = `${arg}.stages[${i}]`;
    if (
      stage === null ||
      typeof stage !== 'object' ||
      !(stage.features instanceof Float32Array) ||
      !Number.isInteger(stage.dim) ||
      stage.dim < 1
    ) {
      throw new ArgumentError({
        op: OP,
        argument: where,
        expected: '{ name, dim >= 1, features: Float32Array }',
        actual: describeValue(stage),
      });
    }
    const rows = s.labels.length;
    if (stage.features.length !== rows * stage.dim) {
      throw new ShapeError({
        op: OP,
        argument: where,
        expected: `${rows} x ${stage.dim} = ${rows * stage.dim} values`,
        actual: `${stage.features.length} values`,
        message: `${OP}: '${where}' ('${stage.name}') holds ${stage.features.length} values but '${arg}.labels' has ${rows} examples and dim is ${stage.dim}; expected ${rows * stage.dim}.`,
      });
    }
  });
}

/**
 * Layer-wise linear probes, the "which layer is best" table of self-supervised learning: for every
 * stage s of a frozen trunk, a softmax head `p(c | x_s) = softmax(x'_s W_s + b_s)` on that stage's
 * (pooled) features, standardised with the TRAIN statistics `x'_s = (x_s - μ_s) / σ_s` (the same
 * statistics applied to test; the per-feature normalisation that stands in for the non-affine batch
 * norm of VISSL and mmselfsup), trained with Adam on the mean cross-entropy by {@link linearProbe}.
 * One head per layer, one layer at a time (device memory holds one stage), every head with the same
 * key, so all heads see the same batch order, as heads trained together on one trunk would.
 *
 * @param options - see {@link LayerwiseProbesOptions}: `train` and `test` (`{ stages, labels }`, stages
 *   matched by position and name, `features [N, dim]` row-major), `numClasses`, `epochs = 100`,
 *   `batchSize = 256`, `learningRate = 0.01`, `weightDecay = 0`, `key`, `onLayer?`
 * @returns a promise of one `{ name, dim, trainAccuracy, testAccuracy }` per stage, in stage order
 * @throws ArgumentError when a split is malformed, the stage lists differ (count, name or dim), a label
 *   lies outside `[0, numClasses)` or an option is out of range; ShapeError when a stage's value count is
 *   not `labels.length · dim`
 * @example
 * ```ts
 * const train = { stages: await extractStageFeatures(trunk, trainSet), labels: trainSet.labels };
 * const test = { stages: await extractStageFeatures(trunk, testSet), labels: testSet.labels };
 * const table = await layerwiseProbes({ train, test, numClasses: 10, epochs: 30, key: createKey(0) });
 * // [{ name: 'conv1', dim: 1936, trainAccuracy: 0.83, testAccuracy: 0.81 }, …]
 * ```
 * @see Zhang, Isola and Efros, "Colorful Image Colorization", ECCV 2016 (layer-wise linear probes)
 * @see Goyal et al., "Scaling and Benchmarking Self-Supervised Visual Representation Learning", ICCV 2019
 */
export async function layerwiseProbes(options: LayerwiseProbesOptions): Promise<LayerProbeRow[]> {
  const { train, test, numClasses, key, onLayer, ...probeOptions } = checkOptions(
    options,
    ['train', 'test', 'numClasses', 'epochs', 'batchSize', 'learningRate', 'weightDecay', 'key', 'onLayer'],
    { op: OP },
  );
  checkSplit(train, 'train');
  checkSplit(test, 'test');
  if (onLayer !== undefined && typeof onLayer !== 'function') {
    throw new ArgumentError({
      op: OP,
      argument: 'onLayer',
      expected: 'a function',
      actual: describeValue(onLayer),
    });
  }
  if (train.stages.length !== test.stages.length) {
    throw new ArgumentError({
      op: OP,
      argument: 'test.stages',
      expected: `${train.stages.length} stages (as train)`,
      actual: `${test.stages.length} stages`,
    });
  }
  train.stages.forEach((stage, i) => {
    const other = test.stages[i]!;
    if (other.name !== stage.name || other.dim !== stage.dim) {
      throw new ArgumentError({
        op: OP,
        argument: `test.stages[${i}]`,
        expected: `'${stage.name}' with dim ${stage.dim} (as train)`,
        actual: `'${other.name}' with dim ${other.dim}`,
      });
    }
  });

  const rows: LayerProbeRow[] = [];
  for (const [i, stage] of train.stages.entries()) {
    const rowsTrain = train.labels.length;
    const rowsTest = test.labels.length;
    const trainFeatures = tf.tensor2d(stage.features, [rowsTrain, stage.dim]);
    const testFeatures = tf.tensor2d(test.stages[i]!.features, [rowsTest, stage.dim]);
    try {
      const result = await linearProbe({
        ...probeOptions,
        trainFeatures,
        trainLabels: train.labels,
        testFeatures,
        testLabels: test.labels,
        numClasses,
        standardize: true,
        key,
      });
      const row = {
        name: stage.name,
        dim: stage.dim,
        trainAccuracy: result.trainTop1,
        testAccuracy: result.top1,
      };
      rows.push(row);
      onLayer?.(row, i);
    } finally {
      tf.dispose([trainFeatures, testFeatures]);
    }
  }
  return rows;
}
