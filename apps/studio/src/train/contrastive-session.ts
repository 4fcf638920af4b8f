import { byolViews, makeViews, mocoV2Views, simclrViews, type ViewRecipe } from '@genoise/augment';
import { foldIn, type Key, permutationValues } from '@genoise/core';
import { type Uint8Dataset, uint8Dataset } from '@genoise/data';
import { extractFeatures, pca2d, retrieve, weightedKnn } from '@genoise/eval';
import { loadModel, saveModel } from '@genoise/models';
import {
  createMethod,
  type MethodName,
  resolveTrainConfig,
  runKeys,
  type TrainConfig,
  type TrainingMethod,
  warmupCosine,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { FASHION_CLASS_NAMES, type FashionSubset, stratifiedIndices } from '../lib/fashion-data';

/** What the training page sets. */
export interface SessionSettings {
  readonly method: MethodName;
  readonly seed: number;
  /** Images per step (two views each). Default 64: a step well under a second on wasm at 28x28. */
  readonly batchSize: number;
  /** Train images whose features form the kNN bank and the retrieval database (stratified). */
  readonly bankSize: number;
  /** Held-out test images embedded in 2-D and classified by kNN (stratified). */
  readonly evalSize: number;
  /** Neighbours of the weighted kNN. */
  readonly k: number;
  /** Length of the warm-up + cosine learning-rate schedule; after it the rate stays at its floor. */
  readonly scheduleSteps: number;
}

export const DEFAULT_SETTINGS: SessionSettings = {
  method: 'simclr',
  seed: 0,
  batchSize: 64,
  bankSize: 2000,
  evalSize: 500,
  k: 20,
  scheduleSteps: 2000,
};

export interface StepResult {
  readonly step: number;
  readonly loss: number;
  readonly learningRate: number;
  readonly milliseconds: number;
}

export interface Evaluation {
  readonly step: number;
  /** Weighted-kNN top-1 of the held-out images against the bank. */
  readonly knnTop1: number;
  /** `[N, 2]` row-major: the first two principal components of the held-out features. */
  readonly points: Float32Array;
  /** Labels of the held-out images, `[N]`. */
  readonly labels: Int32Array;
  /** Indices of the held-out images in the test split. */
  readonly evalIndices: Int32Array;
  readonly milliseconds: number;
}

export interface Neighbours {
  /** The held-out image asked about (index into `evalIndices`). */
  readonly query: number;
  /** Indices into the train split, most similar first. */
  readonly trainIndices: number[];
  readonly scores: number[];
}

function recipeFor(config: TrainConfig): ViewRecipe {
  const options = {
    size: [28, 28] as [number, number],
    preset: config.views.preset,
    scale: [...config.views.cropScale] as [number, number],
  };
  if (config.method === 'byol') return byolViews(options);
  if (config.method === 'moco') return mocoV2Views(options);
  return simclrViews(options);
}

/**
 * Flips the sign of each principal axis of `next` to agree with `previous` (PCA axes have no sign),
 * so the embedding does not jump from one evaluation to the next.
 */
export function alignAxes(previous: Float32Array | undefined, next: Float32Array): Float32Array {
  if (previous === undefined || previous.length !== next.length) return next;
  const out = Float32Array.from(next);
  for (const axis of [0, 1]) {
    let dot = 0;
    for (let i = axis; i < next.length; i += 2) dot += next[i]! * previous[i]!;
    if (dot < 0) for (let i = axis; i < next.length; i += 2) out[i] = -out[i]!;
  }
  return out;
}

/**
 * A contrastive (SimCLR, MoCo, BYOL) training run on the studio's Fashion-MNIST subset that can step,
 * evaluate, retrieve, reset, save and load. It owns every tensor it makes: between calls the tensor
 * count is the models' weights, the optimizer's state and the last evaluation's two feature tables.
 * Runs in the training page's worker and in Node (the unit test).
 */
export class ContrastiveSession {
  private method!: TrainingMethod;
  private optimizer!: tf.Optimizer;
  private variables!: tf.Variable[];
  private recipe!: ViewRecipe;
  private viewKey!: Key;
  private dataKey!: Key;
  private config!: TrainConfig;
  private order: { epoch: number; indices: Int32Array } | undefined;
  private features: { bank: tf.Tensor2D; held: tf.Tensor2D } | undefined;
  private lastPoints: Float32Array | undefined;
  private readonly train: Uint8Dataset;
  private readonly test: Uint8Dataset;
  readonly bankIndices: Int32Array;
  readonly evalIndices: Int32Array;
  step = 0;

  private constructor(
    data: FashionSubset,
    public settings: SessionSettings,
  ) {
    const imageShape = [data.side, data.side, 1] as const;
    const classNames = [...FASHION_CLASS_NAMES];
    this.train = uint8Dataset({
      name: 'fashion-train',
      pixels: data.train.pixels,
      imageShape,
      labels: data.train.labels,
      classNames,
    });
    this.test = uint8Dataset({
      name: 'fashion-test',
      pixels: data.test.pixels,
      imageShape,
      labels: data.test.labels,
      classNames,
    });
    this.bankIndices = stratifiedIndices(data.train.labels, settings.bankSize);
    this.evalIndices = stratifiedIndices(data.test.labels, settings.evalSize);
  }

  static async create(
    data: FashionSubset,
    settings: Partial<SessionSettings> = {},
  ): Promise<ContrastiveSession> {
    const session = new ContrastiveSession(data, { ...DEFAULT_SETTINGS, ...settings });
    await session.build();
    return session;
  }

  private async build(): Promise<void> {
    const { method, seed, batchSize, scheduleSteps } = this.settings;
    this.config = resolveTrainConfig({
      method,
      seed,
      batchSize,
      steps: scheduleSteps,
      // A 2,000-image set: a shorter MoCo queue keeps the negatives recent.
      moco: { queueSize: 1024 },
      checkpointEvery: scheduleSteps,
    });
    const { initKey, viewKey, dataKey } = runKeys(this.config);
    this.viewKey = viewKey;
    this.dataKey = dataKey;
    this.method = await createMethod({ config: this.config, imageShape: [28, 28, 1], key: initKey });
    this.optimizer = tf.train.adam(this.config.learningRate);
    this.variables = this.method.trainableVariables();
    this.recipe = recipeFor(this.config);
    this.step = 0;
    this.order = undefined;
    this.lastPoints = undefined;
  }

  private batchIndices(): Int32Array {
    const { batchSize } = this.config;
    const perEpoch = Math.floor(this.train.size / batchSize);
    const epoch = Math.floor(this.step / perEpoch);
    if (this.order?.epoch !== epoch) {
      this.order = { epoch, indices: permutationValues(foldIn(this.dataKey, epoch), this.train.size) };
    }
    const start = (this.step % perEpoch) * batchSize;
    return this.order.indices.subarray(start, start + batchSize);
  }

  /** One optimisation step on a fresh batch: two views, the method's loss, Adam. */
  async trainStep(): Promise<StepResult> {
    const started = performance.now();
    const step = this.step;
    const learningRate = warmupCosine(Math.min(step, this.settings.scheduleSteps - 1), {
      baseLearningRate: this.config.learningRate,
      warmupSteps: Math.round(this.config.warmupFraction * this.settings.scheduleSteps),
      totalSteps: this.settings.scheduleSteps,
      finalLearningRate: this.config.learningRate * 0.05,
    });
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRate;
    const images = this.train.images(this.batchIndices());
    const [view1, view2] = makeViews(this.recipe, foldIn(this.viewKey, step), images) as [
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    images.dispose();
    const lossTensor = this.optimizer.minimize(
      () => this.method.loss(view1, view2, step),
      true,
      this.variables,
    )!;
    tf.dispose([view1, view2]);
    this.method.afterStep(step, this.settings.scheduleSteps);
    const loss = (await lossTensor.data())[0]!;
    lossTensor.dispose();
    this.step++;
    return { step: this.step, loss, learningRate, milliseconds: performance.now() - started };
  }

  private encode = (x: tf.Tensor4D): tf.Tensor2D => this.method.encoder.predict(x) as tf.Tensor2D;

  /** Features of the bank and the held-out images, kNN top-1, and a 2-D PCA of the held-out features. */
  async evaluate(): Promise<Evaluation> {
    const started = performance.now();
    const bankIndices = this.bankIndices;
    const evalIndices = this.evalIndices;
    const batchSize = 250;
    const bank = await extractFeatures(
      this.encode,
      (i) => this.train.images(i.map((j) => bankIndices[j]!)),
      bankIndices.length,
      { batchSize },
    );
    const held = await extractFeatures(
      this.encode,
      (i) => this.test.images(i.map((j) => evalIndices[j]!)),
      evalIndices.length,
      { batchSize },
    );
    if (this.features) tf.dispose([this.features.bank, this.features.held]);
    this.features = { bank, held };
    const bankLabels = Int32Array.from(bankIndices, (i) => this.train.labels![i]!);
    const labels = Int32Array.from(evalIndices, (i) => this.test.labels![i]!);
    const knn = await weightedKnn({
      trainFeatures: bank,
      trainLabels: bankLabels,
      testFeatures: held,
      testLabels: labels,
      numClasses: 10,
      k: Math.min(this.settings.k, bankIndices.length),
    });
    const projected = pca2d(held, { iterations: 30 });
    const points = alignAxes(this.lastPoints, (await projected.data()) as Float32Array);
    projected.dispose();
    this.lastPoints = points;
    return {
      step: this.step,
      knnTop1: knn.top1,
      points,
      labels,
      evalIndices,
      milliseconds: performance.now() - started,
    };
  }

  /** The bank images most similar (cosine) to held-out image `query`, from the last evaluation's features. */
  async neighbours(query: number, k = 8): Promise<Neighbours> {
    if (!this.features) await this.evaluate();
    const { bank, held } = this.features!;
    const row = tf.slice(held, [query, 0], [1, -1]) as tf.Tensor2D;
    try {
      const result = await retrieve({ queries: row, database: bank, k });
      const indices = Array.from(result.indices[0]!, (i) => this.bankIndices[i]!);
      return { query, trainIndices: indices, scores: Array.from(result.scores[0]!) };
    } finally {
      row.dispose();
    }
  }

  /** A fresh run: new weights from the seed, step 0, no features. Disposes everything the old run held. */
  async reset(settings: Partial<SessionSettings> = {}): Promise<void> {
    this.disposeRun();
    this.settings = { ...this.settings, ...settings };
    await this.build();
  }

  /** Saves the encoder (tfjs layers format plus genoise's manifest) to a tf.io URL such as `indexeddb://...`. */
  async saveEncoder(url: string | tf.io.IOHandler): Promise<void> {
    await saveModel(this.method.encoder, url, {
      manifest: { trainingConfig: { method: this.config.method, step: this.step, seed: this.config.seed } },
    });
  }

  /** Loads encoder weights saved by {@link saveEncoder} into the running encoder; returns the step it was saved at. */
  async loadEncoder(url: string | tf.io.IOHandler): Promise<number | undefined> {
    const { model, manifest } = await loadModel(url);
    try {
      const weights = model.getWeights();
      if (weights.length !== this.method.encoder.weights.length) {
        throw new Error(
          `loadEncoder: the saved encoder has ${weights.length} weights but this one has ${this.method.encoder.weights.length}`,
        );
      }
      this.method.encoder.setWeights(weights);
    } finally {
      model.dispose();
    }
    const config = manifest.trainingConfig as { step?: number } | undefined;
    return config?.step;
  }

  private disposeRun(): void {
    if (this.features) tf.dispose([this.features.bank, this.features.held]);
    this.features = undefined;
    this.method?.dispose();
    this.optimizer?.dispose();
  }

  dispose(): void {
    this.disposeRun();
  }
}
