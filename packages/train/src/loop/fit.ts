import { ArgumentError, foldIn, type Key, permutationValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint } from '../checkpoint/checkpoint-types';
import type { RunStore } from '../checkpoint/run-store';
import { restore, snapshot } from '../checkpoint/snapshot';
import { runIdentity, stepsOf, type TrainConfig } from '../config/train-config';
import type { Method, MethodData } from '../method/method';
import { runKeys } from '../method/method-spec';
import { methodSpec } from '../method/registry';
import { learningRateAt } from '../schedule/learning-rate';
import { trainStep } from './train-step';

/** What `onStep` receives after every optimisation step. */
export interface StepEvent {
  readonly method: string;
  /** Steps completed so far in the run (1 after the first step). */
  readonly step: number;
  readonly totalSteps: number;
  /** 0-based epoch of this step (0 for an endless stream). */
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  /** The loss's named terms, when the method reports them. */
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate: number;
  /** Training examples (images, stereo pairs, frame triplets) per second, averaged over this call. */
  readonly examplesPerSecond: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds to the end of the run at the current pace. */
  readonly etaSeconds: number;
}

/** Options of {@link fit}. */
export interface FitOptions<M extends Method = Method> {
  /** The run's config; `method` must have been created from it (see {@link createMethod}). */
  readonly config: TrainConfig;
  /** Where checkpoints and metrics go (`folderRunStore` in Node, `memoryRunStore`). Without it nothing is kept. */
  readonly store?: RunStore | undefined;
  /** Continue from the store's checkpoint: it must be of the same run ({@link runIdentity}). */
  readonly resume?: boolean;
  /**
   * Called after each step (progress bars, live plots, evaluation during training); awaited. `method` is
   * the method being trained: read its models (e.g. `encoder.predict` for a kNN monitor), do not dispose them.
   */
  readonly onStep?: ((event: StepEvent, method: M) => void | Promise<void>) | undefined;
  /** Abort after the current step: a checkpoint is written, and the result says `'aborted'`. */
  readonly signal?: AbortSignal | undefined;
  /** Stop after this many steps in this call (tests, demos). */
  readonly stopAfter?: number | undefined;
}

/** What {@link fit} returns. The caller still owns the method and disposes it. */
export interface FitResult<M extends Method = Method> {
  readonly method: M;
  readonly config: TrainConfig;
  /** Steps completed in the run, including those before a resume. */
  readonly step: number;
  readonly totalSteps: number;
  /** Losses of the steps this call ran. */
  readonly losses: readonly number[];
  readonly stopped: 'completed' | 'aborted' | 'stopAfter';
  readonly seconds: number;
}

/** The keys of a run: the method's key layout applied to the config's seed. */
export function keysOf(config: TrainConfig) {
  const spec = methodSpec(config.method.name);
  return (spec.keys ?? runKeys)(config.seed);
}

/**
 * Builds the method a config names with fresh weights from the run's init key: the same config gives
 * the same weights.
 */
export async function createMethod<D extends MethodData>(config: TrainConfig, data: D): Promise<Method<D>> {
  const spec = methodSpec(config.method.name, 'createMethod');
  return (await spec.create({ config, data, key: keysOf(config).initKey })) as unknown as Method<D>;
}

/**
 * The loop's data order: for each step, its epoch and example indices — a keyed permutation of the data
 * per epoch, `permutation(foldIn(orderKey, epoch))`, cut into batches with the remainder dropped — or
 * `[s·B, (s+1)·B)` of an endless stream (`size` undefined). The studio steps with the same order.
 */
export function stepIndices(size: number | undefined, batchSize: number, orderKey: Key) {
  const stepsPerEpoch = size === undefined ? Number.POSITIVE_INFINITY : Math.floor(size / batchSize);
  let cached: { epoch: number; order: Int32Array } | undefined;
  return (step: number): { epoch: number; indices: number[] } => {
    if (size === undefined)
      return { epoch: 0, indices: Array.from({ length: batchSize }, (_, i) => step * batchSize + i) };
    const epoch = Math.floor(step / stepsPerEpoch);
    if (cached?.epoch !== epoch) cached = { epoch, order: permutationValues(foldIn(orderKey, epoch), size) };
    const at = (step - epoch * stepsPerEpoch) * batchSize;
    return { epoch, indices: Array.from(cached.order.subarray(at, at + batchSize)) };
  };
}

/** Loads the store's checkpoint for a resume and checks it belongs to the same run. */
export async function checkpointToResume(
  store: RunStore | undefined,
  config: TrainConfig,
  op = 'fit',
): Promise<Checkpoint<TrainConfig>> {
  if (store === undefined)
    throw new ArgumentError({
      op,
      argument: 'resume',
      message: `${op}: 'resume' needs a 'store' holding a checkpoint.`,
    });
  const checkpoint = (await store.load()) as Checkpoint<TrainConfig> | undefined;
  if (checkpoint === undefined)
    throw new ArgumentError({
      op,
      argument: 'resume',
      message: `${op}: '${store.location}' has no checkpoint to resume from.`,
    });
  const saved = checkpoint.config;
  if (runIdentity(saved) !== runIdentity(config)) {
    throw new ArgumentError({
      op,
      argument: 'resume',
      message: `${op}: the checkpoint in '${store.location}' is a ${saved.method.name} run (seed ${saved.seed}, batch ${saved.batchSize}) but the config asks for ${config.method.name} (seed ${config.seed}, batch ${config.batchSize}) or another architecture.`,
    });
  }
  return checkpoint;
}

/**
 * The one training loop. Each step it draws the example indices (a keyed permutation per epoch),
 * asks the method for the batch with the step's key (`foldIn(stepKey, step)`), and runs
 * {@link trainStep} with Adam at the scheduled learning rate; it logs metrics, calls `onStep`, writes a
 * checkpoint every `checkpointEvery` steps, at the end and on abort, and resumes exactly (weights,
 * optimizer moments, extra state such as a queue, data order and step keys continue where they were,
 * so a resumed run's loss curve equals the uninterrupted one bit for bit).
 *
 * @returns the steps, the losses and how it stopped; the caller still owns and disposes `method`
 * @throws ArgumentError for a resume without a checkpoint or one of another run, data smaller than a
 *   batch, or a non-finite loss
 * @example
 * ```ts
 * const config = resolveTrainConfig({ steps: 300, method: { name: 'simclr' } });
 * const method = await createMethod(config, dataset);
 * const result = await fit(method, dataset, { config, store: memoryRunStore() });
 * const features = method.encoder!.predict(images);
 * method.dispose();
 * ```
 */
export async function fit<D extends MethodData, M extends Method<D>>(
  method: M,
  data: D,
  options: FitOptions<M>,
): Promise<FitResult<M>> {
  const { store, onStep, signal, stopAfter } = options;
  let config = options.config;
  let checkpoint: Checkpoint | undefined;
  if (options.resume) {
    checkpoint = await checkpointToResume(store, config);
    config = checkpoint.config as TrainConfig;
  }
  const { stepsPerEpoch, totalSteps } = stepsOf(config, data.size);
  const { orderKey, stepKey } = keysOf(config);
  const optimizer = tf.train.adam(config.learningRate);
  const state = { method, optimizer, variables: method.trainableVariables() };
  const plan = stepIndices(data.size, config.batchSize, orderKey);

  let step = 0;
  try {
    if (checkpoint) {
      await restore(method, optimizer, checkpoint);
      step = checkpoint.step;
    }
    await store?.truncateMetrics(step);
    const losses: number[] = [];
    const started = performance.now();
    let stopped: FitResult['stopped'] = 'completed';
    while (step < totalSteps) {
      const learningRate = learningRateAt(config, step, totalSteps);
      const { epoch, indices } = plan(step);
      const batch = method.batch(data, indices, foldIn(stepKey, step), step);
      const { loss, terms } = await trainStep(state, batch, step, { totalSteps, learningRate });
      step++;
      losses.push(loss);
      const elapsedSeconds = (performance.now() - started) / 1000;
      const event: StepEvent = {
        method: method.name,
        step,
        totalSteps,
        epoch,
        stepsPerEpoch,
        loss,
        terms,
        learningRate,
        examplesPerSecond: (config.batchSize * losses.length) / Math.max(elapsedSeconds, 1e-9),
        elapsedSeconds,
        etaSeconds: (elapsedSeconds / losses.length) * (totalSteps - step),
      };
      if (step % config.logEvery === 0 || step === totalSteps) {
        const { examplesPerSecond } = event;
        await store?.appendMetrics({ step, loss, ...terms, learningRate, examplesPerSecond, elapsedSeconds });
      }
      await onStep?.(event, method);
      const last = step === totalSteps;
      const abort = signal?.aborted === true;
      const enough = stopAfter !== undefined && losses.length >= stopAfter;
      if (store && (last || abort || enough || step % config.checkpointEvery === 0))
        await store.save({ step, config, groups: await snapshot(method, optimizer) });
      if (!last && (abort || enough)) {
        stopped = abort ? 'aborted' : 'stopAfter';
        break;
      }
    }
    return {
      method,
      config,
      step,
      totalSteps,
      losses,
      stopped,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    optimizer.dispose();
  }
}

/**
 * {@link createMethod} then {@link fit}: builds the method (from the store's checkpoint config when
 * resuming) and trains it. The caller disposes `result.method`; on an error it is disposed here.
 *
 * @example
 * ```ts
 * const result = await train(resolveTrainConfig({ method: { name: 'byol' } }), dataset, { store });
 * result.method.dispose();
 * ```
 */
export async function train<D extends MethodData>(
  config: TrainConfig,
  data: D,
  options: Omit<FitOptions<Method<D>>, 'config'> = {},
): Promise<FitResult<Method<D>>> {
  const effective = options.resume
    ? (await checkpointToResume(options.store, config, 'train')).config
    : config;
  const method = await createMethod(effective, data);
  try {
    return await fit(method, data, { ...options, config: effective });
  } catch (error) {
    method.dispose();
    throw error;
  }
}
