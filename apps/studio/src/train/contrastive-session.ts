import { ArgumentError } from '@genoise/core';
import { type Uint8Dataset, uint8Dataset } from '@genoise/data';
import { extractFeatures, pca2d, retrieve, weightedKnn } from '@genoise/eval';
import { loadModel, saveModel } from '@genoise/models';
import {
  defaultTrainConfig,
  type Method,
  methodNames,
  methodSpec,
  resolveTrainConfig,
  type TrainConfig,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { FASHION_CLASS_NAMES, type FashionSubset, stratifiedIndices } from '../lib/fashion-data';
import { MethodSession } from './method-session';

/** A method the training page offers: its registry name and its one-line summary (the menu label). */
export interface MethodChoice {
  readonly name: string;
  readonly summary: string;
}

/**
 * The representation methods of `@genoise/train`'s registry that train on the studio's grey images, in
 * its menu order (SimCLR, MoCo, BYOL, SimSiam, Barlow Twins, VICReg, then the pretext methods RotNet,
 * jigsaw, relative location, inpainting and the denoising autoencoder today): a method registered there
 * appears on the page with no change here. A method that needs other images (`imageChannels`: colour,
 * for colorization) is left out.
 */
export function representationMethods(): MethodChoice[] {
  return methodNames(
    (spec) =>
      spec.task === 'representation' && (spec.imageChannels === undefined || spec.imageChannels === 1),
  ).map((name) => ({
    name,
    summary: methodSpec(name).summary,
  }));
}

/** What the training page sets. */
export interface SessionSettings {
  /** A representation method of the registry (see {@link representationMethods}). Default: the first. */
  readonly method: string;
  readonly seed: number;
  /** Images per step (two views each). Default 64: a step well under a second on wasm at 28x28. */
  readonly batchSize: number;
  /** Train images whose features form the kNN bank and the retrieval database (stratified). */
  readonly bankSize: number;
  /** Held-out test images embedded in 2-D and classified by kNN (stratified). */
  readonly evalSize: number;
  /** Neighbours of the weighted kNN. */
  readonly k: number;
  /**
   * Length of one cycle of the learning-rate schedule (`learningRateAt`: the method's warm-up and cosine
   * decay over this many steps, exactly as `fit` runs a job of this many steps). Training in the page has
   * no end, so after a cycle the schedule starts again (a warm restart, as in SGDR); step-dependent
   * updates after each step (BYOL's momentum) follow the same cycle.
   */
  readonly scheduleSteps: number;
}

export const DEFAULT_SETTINGS: SessionSettings = {
  method: representationMethods()[0]!.name,
  seed: 0,
  batchSize: 64,
  bankSize: 2000,
  evalSize: 500,
  k: 20,
  scheduleSteps: 2000,
};

/** Keys a queue-based method (MoCo) keeps on the studio's 2,000-image set: recent negatives, few repeats. */
const STUDIO_QUEUE_SIZE = 1024;

/**
 * The run config of `settings`: the method's defaults with the page's seed and batch size and a job of
 * `scheduleSteps` steps. A method with a queue of negatives (an option named `queueSize`) gets a shorter
 * queue than its Fashion-MNIST default, since the studio trains on 2,000 images.
 *
 * @throws ArgumentError when `settings.method` is not a representation method of the registry
 */
export function sessionConfig(settings: SessionSettings): TrainConfig {
  const choices = representationMethods().map((m) => m.name);
  if (!choices.includes(settings.method)) {
    throw new ArgumentError({
      op: 'ContrastiveSession',
      argument: 'method',
      expected: choices.map((name) => `'${name}'`).join(' | '),
      actual: JSON.stringify(settings.method),
    });
  }
  const { seed, batchSize, scheduleSteps } = settings;
  const defaults = defaultTrainConfig(settings.method).method;
  return resolveTrainConfig({
    seed,
    batchSize,
    steps: scheduleSteps,
    checkpointEvery: scheduleSteps,
    method: {
      name: settings.method,
      ...('queueSize' in defaults
        ? { queueSize: Math.min(STUDIO_QUEUE_SIZE, defaults['queueSize'] as number) }
        : {}),
    },
  });
}

export interface StepResult {
  readonly step: number;
  readonly loss: number;
  /** The loss's named terms, when the method reports them (e.g. VICReg's invariance, variance, covariance). */
  readonly terms: Readonly<Record<string, number>>;
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
 * A representation-learning run (any representation method of `@genoise/train`'s registry) on the
 * studio's Fashion-MNIST subset that can step, evaluate, retrieve, reset, save and load. Each step is the
 * trainer's own, through the studio's {@link MethodSession}: the method's `batch` (its views from the
 * step's key), then train's `trainStep` (Adam at the scheduled rate, the loss, `afterStep`), with `fit`'s
 * data order and keys, so the first `scheduleSteps` steps give the losses `fit` gives for the same
 * config, bit for bit. It owns every
 * tensor it makes: between calls the tensor count is the models' weights, the method's state (a queue),
 * the optimizer's state and the last evaluation's two feature tables. Runs in the training page's worker
 * and in Node (the unit test).
 */
export class ContrastiveSession {
  private run!: MethodSession<Uint8Dataset>;
  private encoder!: NonNullable<Method['encoder']>;
  private features: { bank: tf.Tensor2D; held: tf.Tensor2D } | undefined;
  private lastPoints: Float32Array | undefined;
  /** The images the method trains on (the subset's train split, labels unused by training). */
  readonly train: Uint8Dataset;
  private readonly test: Uint8Dataset;
  readonly bankIndices: Int32Array;
  readonly evalIndices: Int32Array;

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

  /**
   * @throws ArgumentError when `settings.method` is not a representation method of the registry, or a
   *   setting is out of the config's range (from `resolveTrainConfig`)
   */
  static async create(
    data: FashionSubset,
    settings: Partial<SessionSettings> = {},
  ): Promise<ContrastiveSession> {
    const session = new ContrastiveSession(data, { ...DEFAULT_SETTINGS, ...settings });
    await session.build();
    return session;
  }

  /** The run's config, as `fit` would take it (`steps` is `scheduleSteps`). */
  get config(): TrainConfig {
    return this.run.config;
  }

  /** Steps completed since the last reset. */
  get step(): number {
    return this.run.step;
  }

  private async build(): Promise<void> {
    const config = sessionConfig(this.settings);
    const run = await MethodSession.create(config, this.train);
    if (run.method.encoder === undefined) {
      run.dispose();
      throw new ArgumentError({
        op: 'ContrastiveSession',
        argument: 'method',
        message: `ContrastiveSession: method '${config.method.name}' has no encoder to evaluate.`,
      });
    }
    this.run = run;
    this.encoder = run.method.encoder;
    this.lastPoints = undefined;
  }

  /**
   * One optimisation step on a fresh batch: the method's batch (two views) from the step's key, then
   * train's `trainStep` at the scheduled learning rate (see {@link SessionSettings.scheduleSteps}).
   */
  async trainStep(): Promise<StepResult> {
    const { step, loss, terms, learningRate, milliseconds } = await this.run.trainStep();
    return { step, loss, terms, learningRate, milliseconds };
  }

  /** The encoder's features of images, fed as the method's evaluation feeds them (`encoderInput`, when it has one). */
  private encode = (x: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const input = this.run.method.encoderInput?.(x) ?? x;
      return this.encoder.predict(input) as tf.Tensor2D;
    });

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

  /**
   * A fresh run: new weights from the seed, step 0, no features. Disposes everything the old run held.
   *
   * @throws ArgumentError for invalid settings, before anything is disposed (the old run stays usable)
   */
  async reset(settings: Partial<SessionSettings> = {}): Promise<void> {
    const next = { ...this.settings, ...settings };
    sessionConfig(next);
    this.disposeRun();
    this.settings = next;
    await this.build();
  }

  /** Saves the encoder (tfjs layers format plus genoise's manifest) to a tf.io URL such as `indexeddb://...`. */
  async saveEncoder(url: string | tf.io.IOHandler): Promise<void> {
    await saveModel(this.encoder, url, {
      manifest: {
        trainingConfig: { method: this.config.method.name, step: this.step, seed: this.config.seed },
      },
    });
  }

  /** Loads encoder weights saved by {@link saveEncoder} into the running encoder; returns the step it was saved at. */
  async loadEncoder(url: string | tf.io.IOHandler): Promise<number | undefined> {
    const { model, manifest } = await loadModel(url);
    try {
      const weights = model.getWeights();
      if (weights.length !== this.encoder.weights.length) {
        throw new ArgumentError({
          op: 'loadEncoder',
          argument: 'url',
          message: `loadEncoder: the saved encoder has ${weights.length} weights but this one has ${this.encoder.weights.length}; it was saved by another architecture.`,
        });
      }
      this.encoder.setWeights(weights);
    } finally {
      model.dispose();
    }
    const config = manifest.trainingConfig as { step?: number } | undefined;
    return config?.step;
  }

  private disposeRun(): void {
    if (this.features) tf.dispose([this.features.bank, this.features.held]);
    this.features = undefined;
    this.run?.dispose();
  }

  dispose(): void {
    this.disposeRun();
  }
}
