import { ArgumentError } from '@genoise/core';

/** The self-supervised methods genoise trains. */
export type MethodName = 'simclr' | 'moco' | 'byol';

/** All method names. */
export const METHOD_NAMES: readonly MethodName[] = ['simclr', 'moco', 'byol'];

/** Which encoder to build (see `@genoise/models`). */
export interface EncoderConfig {
  readonly name: 'small-convnet' | 'resnet18';
  /** small-convnet: channel widths of its stages. */
  readonly widths?: readonly number[];
  /** small-convnet: how each stage halves the resolution (see `smallConvNet`'s `downsampling`). */
  readonly downsampling?: 'maxPool' | 'stride' | 'strideOnly';
  /** resnet18: width multiplier (1 = 64..512 channels). */
  readonly widthMultiplier?: number;
}

/** Everything that defines a run; saved with every checkpoint so `--resume` continues the same run. */
export interface TrainConfig {
  readonly method: MethodName;
  /** Seed of the run's root key: weights, views and data order all derive from it. */
  readonly seed: number;
  /** Passes over the data; ignored when `steps` is set. */
  readonly epochs: number;
  /** Total optimisation steps; default `epochs * floor(size / batchSize)`. */
  readonly steps?: number | undefined;
  readonly batchSize: number;
  /** Peak learning rate of the warm-up + cosine schedule (Adam). */
  readonly learningRate: number;
  /** Share of the steps spent warming up. */
  readonly warmupFraction: number;
  /** NT-Xent / InfoNCE temperature (SimCLR, MoCo). */
  readonly temperature: number;
  readonly encoder: EncoderConfig;
  readonly projection: { readonly hiddenDim: number; readonly outputDim: number };
  /** BYOL's predictor width. */
  readonly prediction: { readonly hiddenDim: number };
  /** View recipe: the small-image preset for 28-32 px data, and the crop's area range. */
  /**
   * View augmentation: the recipe preset, the crop area range, and whether views are mirrored (off for
   * data that is not mirror-invariant, e.g. digits; the trainer turns it off for MNIST).
   */
  readonly views: {
    readonly preset: 'small' | 'imagenet';
    readonly cropScale: readonly [number, number];
    readonly flip?: boolean;
  };
  /** MoCo: queue length K and key-encoder momentum. */
  readonly moco: { readonly queueSize: number; readonly momentum: number };
  /** BYOL: base EMA momentum, raised to 1 on a cosine schedule. */
  readonly byol: { readonly baseMomentum: number };
  /** Write a checkpoint every this many steps (and at the end). */
  readonly checkpointEvery: number;
  /** Append a metrics line every this many steps. */
  readonly logEvery: number;
}

/** Defaults per method, for 28x28 grey images on two CPU cores (REFERENCES.md, scaled down). */
export function defaultTrainConfig(method: MethodName = 'simclr'): TrainConfig {
  if (!METHOD_NAMES.includes(method)) {
    throw new ArgumentError({
      op: 'defaultTrainConfig',
      argument: 'method',
      expected: METHOD_NAMES.join(' | '),
      actual: JSON.stringify(method),
    });
  }
  return {
    method,
    seed: 0,
    epochs: 1,
    steps: undefined,
    batchSize: 256,
    // Measured on Fashion-MNIST on two CPU cores: SimCLR with T 0.2 and Adam 3e-3 on the 16-32-64
    // convnet gained more over its random init (300 steps of 256: kNN +1.9, linear +1.6 points) than
    // T 0.5 / 1e-3 (no kNN gain) or the 32-64-128 net (linear +2.5, kNN -0.4). Downsampling with the
    // stage convs themselves ('strideOnly') makes a step 2.5x cheaper than conv + max-pool, so the
    // same minutes buy 2.5x the steps: 1,800 steps gave kNN +7.1 / linear +6.3 points over random init
    // (conv + max-pool, 500 steps: +2.5 / +1.3).
    learningRate: method === 'byol' ? 2e-3 : 3e-3,
    warmupFraction: 0.05,
    temperature: 0.2,
    encoder: { name: 'small-convnet', widths: [16, 32, 64], downsampling: 'strideOnly' },
    projection: { hiddenDim: 256, outputDim: 64 },
    prediction: { hiddenDim: 256 },
    views: { preset: 'small', cropScale: [0.2, 1] },
    moco: { queueSize: 4096, momentum: 0.99 },
    byol: { baseMomentum: 0.99 },
    checkpointEvery: 100,
    logEvery: 1,
  };
}

type DeepPartial<T> = {
  -readonly [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K]
    : T[K] extends object
      ? DeepPartial<T[K]>
      : T[K];
};

/** A partial config, as read from a file or flags. */
export type TrainConfigOverrides = DeepPartial<TrainConfig>;

function positiveInteger(value: unknown, name: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: name,
      expected: 'a positive integer',
      actual: JSON.stringify(value),
    });
  }
}

function positiveNumber(value: unknown, name: string): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: name,
      expected: 'a positive number',
      actual: JSON.stringify(value),
    });
  }
}

/**
 * The method's defaults with `overrides` merged in (one level deep for the nested groups), validated.
 *
 * @throws ArgumentError naming the first invalid field, e.g. `resolveTrainConfig: 'batchSize' is 0 but expected a positive integer.`
 * @example
 * ```ts
 * const config = resolveTrainConfig({ method: 'moco', epochs: 2, moco: { queueSize: 1024 } });
 * ```
 */
export function resolveTrainConfig(overrides: TrainConfigOverrides = {}): TrainConfig {
  const base = defaultTrainConfig(overrides.method ?? 'simclr');
  const merged = { ...base } as Record<string, unknown>;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in base)) {
      throw new ArgumentError({
        op: 'resolveTrainConfig',
        argument: name,
        expected: `one of ${Object.keys(base).join(', ')}`,
        actual: 'an unknown field',
      });
    }
    const current = (base as unknown as Record<string, unknown>)[name];
    merged[name] =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? { ...current, ...(value as object) }
        : value;
  }
  const config = merged as unknown as TrainConfig;
  if (!Number.isSafeInteger(config.seed) || config.seed < 0) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: 'seed',
      expected: 'a non-negative integer',
      actual: JSON.stringify(config.seed),
    });
  }
  positiveInteger(config.epochs, 'epochs');
  if (config.steps !== undefined) positiveInteger(config.steps, 'steps');
  positiveInteger(config.batchSize, 'batchSize');
  if (config.batchSize < 2) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: 'batchSize',
      expected: 'at least 2 (contrastive losses need negatives)',
      actual: String(config.batchSize),
    });
  }
  positiveNumber(config.learningRate, 'learningRate');
  positiveNumber(config.temperature, 'temperature');
  if (!(config.warmupFraction >= 0 && config.warmupFraction < 1)) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: 'warmupFraction',
      expected: 'a number in [0, 1)',
      actual: JSON.stringify(config.warmupFraction),
    });
  }
  positiveInteger(config.projection.hiddenDim, 'projection.hiddenDim');
  positiveInteger(config.projection.outputDim, 'projection.outputDim');
  positiveInteger(config.prediction.hiddenDim, 'prediction.hiddenDim');
  positiveInteger(config.moco.queueSize, 'moco.queueSize');
  for (const [name, m] of [
    ['moco.momentum', config.moco.momentum],
    ['byol.baseMomentum', config.byol.baseMomentum],
  ] as const) {
    if (!(m >= 0 && m < 1))
      throw new ArgumentError({
        op: 'resolveTrainConfig',
        argument: name,
        expected: 'a number in [0, 1)',
        actual: JSON.stringify(m),
      });
  }
  const [lo, hi] = config.views.cropScale;
  if (!(lo! > 0 && hi! <= 1 && lo! <= hi!)) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: 'views.cropScale',
      expected: '[min, max] with 0 < min <= max <= 1',
      actual: JSON.stringify(config.views.cropScale),
    });
  }
  positiveInteger(config.checkpointEvery, 'checkpointEvery');
  positiveInteger(config.logEvery, 'logEvery');
  if (!METHOD_NAMES.includes(config.method)) {
    throw new ArgumentError({
      op: 'resolveTrainConfig',
      argument: 'method',
      expected: METHOD_NAMES.join(' | '),
      actual: JSON.stringify(config.method),
    });
  }
  return config;
}

/** Steps per epoch and total steps of a run on `datasetSize` examples (batches drop the remainder). */
export function stepsOf(
  config: TrainConfig,
  datasetSize: number,
): { stepsPerEpoch: number; totalSteps: number } {
  const stepsPerEpoch = Math.floor(datasetSize / config.batchSize);
  if (stepsPerEpoch < 1) {
    throw new ArgumentError({
      op: 'train',
      argument: 'batchSize',
      expected: `at most the dataset size (${datasetSize})`,
      actual: String(config.batchSize),
    });
  }
  return { stepsPerEpoch, totalSteps: config.steps ?? config.epochs * stepsPerEpoch };
}
