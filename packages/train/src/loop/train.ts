import { byolViews, makeViews, mocoV2Views, simclrViews } from '@genoise/augment';
import { ArgumentError, createKey, foldIn, type Key, splitKey } from '@genoise/core';
import { batches, type Dataset } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, loadCheckpoint, type SavedArray, saveCheckpoint } from '../checkpoint/checkpoint';
import { stepsOf, type TrainConfig } from '../config/train-config';
import { createMethod } from '../methods/create-method';
import type { TrainingMethod } from '../methods/method';
import { appendMetrics, truncateMetrics } from '../metrics/metrics-log';
import { warmupCosine } from '../schedule/warmup-cosine';
import { exactAdamPowers } from './adam-powers';

/** What `onStep` receives after every optimisation step. */
export interface StepEvent {
  /** Steps completed so far in the run (1 after the first step). */
  readonly step: number;
  readonly totalSteps: number;
  /** 0-based epoch of this step. */
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly learningRate: number;
  /** Augmented views processed per second, averaged over this call. */
  readonly viewsPerSecond: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds to the end of the run at the current pace. */
  readonly etaSeconds: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  readonly config: TrainConfig;
  readonly dataset: Dataset;
  /** Node: folder for `checkpoint/` and `metrics.jsonl`. Without it nothing is written. */
  readonly runDir?: string | undefined;
  /** Continue from `runDir`'s checkpoint; its saved config is used, and `config` must name the same run (method, seed, batch size, encoder). */
  readonly resume?: boolean;
  /**
   * Called after each step (progress bars, live plots, evaluation during training). May be async; the
   * loop awaits it. `method` is the method being trained: read its encoder (e.g. `predict` for a kNN
   * monitor), do not dispose or train it.
   */
  readonly onStep?: ((event: StepEvent, method: TrainingMethod) => void | Promise<void>) | undefined;
  /** Abort after the current step: a checkpoint is written, and the result says `'aborted'`. */
  readonly signal?: AbortSignal | undefined;
  /** Stop after this many steps in this call (tests, demos). */
  readonly stopAfter?: number | undefined;
}

/** What {@link train} returns. The caller owns `method` (its models) and disposes it. */
export interface TrainResult {
  readonly method: TrainingMethod;
  readonly config: TrainConfig;
  /** Steps completed in the run, including those before a resume. */
  readonly step: number;
  readonly totalSteps: number;
  /** Losses of the steps this call ran. */
  readonly losses: readonly number[];
  readonly stopped: 'completed' | 'aborted' | 'stopAfter';
  readonly seconds: number;
}

/**
 * The three independent keys of a run, all from `config.seed`: model initialisation, views (folded
 * with the step), data order (folded with the epoch). `createMethod({ config, imageShape, key:
 * runKeys(config).initKey })` rebuilds a run's models exactly as they were before training.
 */
export function runKeys(config: Pick<TrainConfig, 'seed'>): { initKey: Key; viewKey: Key; dataKey: Key } {
  const [initKey, viewKey, dataKey] = splitKey(createKey(config.seed), 3) as [Key, Key, Key];
  return { initKey, viewKey, dataKey };
}

function recipeFor(config: TrainConfig, imageShape: readonly [number, number, number]) {
  const size: [number, number] = [imageShape[0], imageShape[1]];
  const options = {
    size,
    preset: config.views.preset,
    scale: [...config.views.cropScale] as [number, number],
    flip: config.views.flip ?? true,
  };
  if (config.method === 'byol') return byolViews(options);
  if (config.method === 'moco') return mocoV2Views(options);
  return simclrViews(options);
}

async function readArrays(tensors: readonly tf.Tensor[], names: readonly string[]): Promise<SavedArray[]> {
  return Promise.all(
    tensors.map(async (t, i) => ({
      name: names[i] ?? String(i),
      shape: t.shape,
      values: Float32Array.from(await t.data()),
    })),
  );
}

/** The part of a method a checkpoint holds: its named models and extra state (shared with `trainGeometry`). */
export type CheckpointedModels = Pick<TrainingMethod, 'models' | 'extraState' | 'restoreExtraState'>;

/** Reads every model's weights, the optimizer's state and the extra state, as checkpoint groups. */
export async function snapshot(
  method: CheckpointedModels,
  optimizer: tf.Optimizer,
): Promise<Record<string, SavedArray[]>> {
  const groups: Record<string, SavedArray[]> = {};
  for (const { name, model } of method.models) {
    const weights = model.weights;
    groups[`model:${name}`] = await readArrays(
      weights.map((w) => w.read()),
      weights.map((w) => w.originalName),
    );
  }
  const named = await optimizer.getWeights();
  groups['optimizer'] = await readArrays(
    named.map((n) => n.tensor),
    named.map((n) => n.name),
  );
  for (const n of named) if (!(n.tensor instanceof tf.Variable)) n.tensor.dispose();
  groups['extra'] = [...(await method.extraState())];
  return groups;
}

/** Writes a checkpoint's groups back into the models, the optimizer and the extra state. */
export async function restore(
  method: CheckpointedModels,
  optimizer: tf.Optimizer,
  checkpoint: Checkpoint,
): Promise<void> {
  for (const { name, model } of method.models) {
    const saved = checkpoint.groups[`model:${name}`];
    if (!saved || saved.length !== model.weights.length) {
      throw new ArgumentError({
        op: 'train',
        argument: 'resume',
        message: `train: the checkpoint's '${name}' has ${saved?.length ?? 0} weights but the model has ${model.weights.length}; was it written by another architecture?`,
      });
    }
    const tensors = saved.map((a) => tf.tensor(a.values, [...a.shape]));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  const optimizerState = checkpoint.groups['optimizer'] ?? [];
  if (optimizerState.length > 0) {
    const named = optimizerState.map((a) => ({ name: a.name, tensor: tf.tensor(a.values, [...a.shape]) }));
    await optimizer.setWeights(named); // Adam copies them into its own variables
    tf.dispose(named.map((n) => n.tensor));
    exactAdamPowers(optimizer, checkpoint.step);
  }
  method.restoreExtraState(checkpoint.groups['extra'] ?? []);
}

function sameRun(a: TrainConfig, b: TrainConfig): boolean {
  return (
    a.method === b.method &&
    a.seed === b.seed &&
    a.batchSize === b.batchSize &&
    JSON.stringify(a.encoder) === JSON.stringify(b.encoder)
  );
}

/**
 * Trains a self-supervised method on a dataset: seeded views each step (`foldIn(viewKey, step)`),
 * Adam with warm-up + cosine learning rate, the method's after-step updates (EMA, queue), metrics as
 * JSON lines, atomic checkpoints every `checkpointEvery` steps and at the end or on abort, and exact
 * resumption (weights, optimizer moments, queue, data order and view keys continue where they were,
 * so a resumed run's loss curve equals the uninterrupted one).
 *
 * @returns the trained method (the caller disposes it), the steps and the losses
 * @throws ArgumentError for a resume without a checkpoint or one written by another run
 * @example
 * ```ts
 * const result = await train({ config: resolveTrainConfig({ method: 'simclr', epochs: 1 }), dataset, runDir: 'runs/a' });
 * const features = result.method.encoder.predict(images);
 * result.method.dispose();
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { dataset, runDir, onStep, signal, stopAfter } = options;
  let config = options.config;
  let checkpoint: Checkpoint | undefined;
  if (options.resume) {
    if (runDir === undefined)
      throw new ArgumentError({
        op: 'train',
        argument: 'resume',
        message: "train: 'resume' needs a 'runDir' holding a checkpoint.",
      });
    checkpoint = await loadCheckpoint(runDir);
    const saved = checkpoint.config as TrainConfig;
    if (!sameRun(saved, config)) {
      throw new ArgumentError({
        op: 'train',
        argument: 'resume',
        message: `train: the checkpoint in '${runDir}' is a ${saved.method} run (seed ${saved.seed}, batch ${saved.batchSize}) but the config asks for ${config.method} (seed ${config.seed}, batch ${config.batchSize}).`,
      });
    }
    config = saved;
  }
  const { stepsPerEpoch, totalSteps } = stepsOf(config, dataset.size);
  const { initKey, viewKey, dataKey } = runKeys(config);
  const method = await createMethod({ config, imageShape: dataset.imageShape, key: initKey });
  const optimizer = tf.train.adam(config.learningRate);
  const recipe = recipeFor(config, dataset.imageShape);
  const warmupSteps = Math.round(config.warmupFraction * totalSteps);
  const variables = method.trainableVariables();

  let step = 0;
  try {
    if (checkpoint) {
      await restore(method, optimizer, checkpoint);
      step = checkpoint.step;
    }
    if (runDir !== undefined) await truncateMetrics(runDir, step);
    const losses: number[] = [];
    const started = performance.now();
    let stopped: TrainResult['stopped'] = 'completed';
    const save = async (): Promise<void> => {
      if (runDir !== undefined)
        await saveCheckpoint(runDir, { step, config, groups: await snapshot(method, optimizer) });
    };

    outer: for (let epoch = Math.floor(step / stepsPerEpoch); step < totalSteps; epoch++) {
      const iterator = batches(dataset, {
        batchSize: config.batchSize,
        key: dataKey,
        epoch,
        startStep: step - epoch * stepsPerEpoch,
        shuffle: true,
        dropLast: true,
      });
      for await (const batch of iterator) {
        const learningRate = warmupCosine(step, {
          baseLearningRate: config.learningRate,
          warmupSteps,
          totalSteps,
        });
        (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
        const [view1, view2] = makeViews(recipe, foldIn(viewKey, step), batch.images) as [
          tf.Tensor4D,
          tf.Tensor4D,
        ];
        batch.images.dispose();
        batch.labels?.dispose();
        const current = step;
        const lossTensor = optimizer.minimize(() => method.loss(view1, view2, current), true, variables)!;
        tf.dispose([view1, view2]);
        method.afterStep(step, totalSteps);
        const loss = (await lossTensor.data())[0]!;
        lossTensor.dispose();
        if (!Number.isFinite(loss)) {
          throw new ArgumentError({
            op: 'train',
            argument: 'config',
            message: `train: the loss became ${loss} at step ${step + 1}; lower the learning rate (now ${learningRate.toExponential(2)}).`,
          });
        }
        step++;
        losses.push(loss);
        const elapsedSeconds = (performance.now() - started) / 1000;
        const event: StepEvent = {
          step,
          totalSteps,
          epoch,
          stepsPerEpoch,
          loss,
          learningRate,
          viewsPerSecond: (2 * config.batchSize * losses.length) / Math.max(elapsedSeconds, 1e-9),
          elapsedSeconds,
          etaSeconds: (elapsedSeconds / losses.length) * (totalSteps - step),
        };
        if (runDir !== undefined && (step % config.logEvery === 0 || step === totalSteps))
          await appendMetrics(runDir, event);
        await onStep?.(event, method);
        const last = step === totalSteps;
        const abort = signal?.aborted === true;
        const enough = stopAfter !== undefined && losses.length >= stopAfter;
        if (last || abort || enough || step % config.checkpointEvery === 0) await save();
        if (last) break;
        if (abort || enough) {
          stopped = abort ? 'aborted' : 'stopAfter';
          break outer; // leaving for-await calls the iterator's return(): prefetched batches are freed
        }
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
  } catch (error) {
    method.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
