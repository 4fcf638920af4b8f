import { ArgumentError, foldIn, permutationValues } from '@genoise/core';
import { poseVecToMatrix } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, loadCheckpoint, saveCheckpoint } from '../checkpoint/checkpoint';
import { restore, snapshot } from '../loop/train';
import { appendMetrics, truncateMetrics } from '../metrics/metrics-log';
import { warmupCosine } from '../schedule/warmup-cosine';
import type { GeometryConfig } from './geometry-config';
import { checkGeometryData, type GeometryData, geometryKeys } from './geometry-data';
import { type GeometryLoss, monocularLoss, stereoLoss } from './geometry-losses';
import { buildGeometryModels, disparitiesOf, type GeometryModels, splitPoses } from './geometry-models';

/** What `onStep` receives after every step: the fields of `train`'s `StepEvent`, plus the loss terms. */
export interface GeometryStepEvent {
  readonly method: GeometryConfig['method'];
  /** Steps completed so far in the run (1 after the first step). */
  readonly step: number;
  readonly totalSteps: number;
  /** 0-based pass over the data (0 for an endless stream). */
  readonly epoch: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  /** The loss terms, e.g. `appearance`, `smoothness`, `consistency` (stereo) or `reprojection`, `smoothness`, `automask`. */
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate: number;
  /** Training images (pairs or triplets) per second, averaged over this call. */
  readonly viewsPerSecond: number;
  readonly elapsedSeconds: number;
  readonly etaSeconds: number;
}

/** Options of {@link trainGeometry}. */
export interface TrainGeometryOptions {
  readonly config: GeometryConfig;
  /** Stereo pairs for `stereo`, frame triplets for the monocular recipes (e.g. {@link syntheticGeometryData}). */
  readonly data: GeometryData;
  /** Node: folder for `checkpoint/` and `metrics.jsonl`. Without it nothing is written. */
  readonly runDir?: string | undefined;
  /** Continue from `runDir`'s checkpoint; its saved config is used and must name the same run. */
  readonly resume?: boolean;
  /** Called after each step, awaited. Read `models` (e.g. to predict), do not dispose or train them. */
  readonly onStep?: ((event: GeometryStepEvent, models: GeometryModels) => void | Promise<void>) | undefined;
  /** Abort after the current step: a checkpoint is written, and the result says `'aborted'`. */
  readonly signal?: AbortSignal | undefined;
  /** Stop after this many steps in this call (tests, demos). */
  readonly stopAfter?: number | undefined;
}

/** What {@link trainGeometry} returns; the caller disposes `models`. */
export interface TrainGeometryResult {
  readonly models: GeometryModels;
  readonly config: GeometryConfig;
  readonly step: number;
  readonly totalSteps: number;
  /** Losses of the steps this call ran. */
  readonly losses: readonly number[];
  readonly stopped: 'completed' | 'aborted' | 'stopAfter';
  readonly seconds: number;
}

/** The learning rate of `step`: warm-up, then cosine to 0 or a x0.1 step for the last quarter. */
export function geometryLearningRate(config: GeometryConfig, step: number): number {
  const totalSteps = config.steps;
  const warmupSteps = Math.round(config.warmupFraction * totalSteps);
  if (config.schedule === 'cosine')
    return warmupCosine(step, { baseLearningRate: config.learningRate, warmupSteps, totalSteps });
  if (step < warmupSteps) return (config.learningRate * (step + 1)) / warmupSteps;
  return step < Math.floor(0.75 * totalSteps) ? config.learningRate : 0.1 * config.learningRate;
}

function sameRun(a: GeometryConfig, b: GeometryConfig): boolean {
  const pick = (c: GeometryConfig) =>
    JSON.stringify([c.method, c.seed, c.batchSize, c.height, c.width, c.scales, c.depthNet, c.poseNet]);
  return pick(a) === pick(b);
}

/** The indices of step `step`'s batch: a fresh permutation per epoch, or consecutive indices of an endless stream. */
function batchIndices(
  data: GeometryData,
  config: GeometryConfig,
  step: number,
  orderKey: ReturnType<typeof geometryKeys>['orderKey'],
) {
  const b = config.batchSize;
  if (data.size === undefined) return { epoch: 0, stepsPerEpoch: config.steps, indices: range(step * b, b) };
  const stepsPerEpoch = Math.floor(data.size / b);
  const epoch = Math.floor(step / stepsPerEpoch);
  const order = permutationValues(foldIn(orderKey, epoch), data.size);
  const at = (step - epoch * stepsPerEpoch) * b;
  return { epoch, stepsPerEpoch, indices: Array.from(order.subarray(at, at + b)) };
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/** One step's loss (inside the optimizer's tape). */
function stepLoss(
  config: GeometryConfig,
  models: GeometryModels,
  data: GeometryData,
  indices: number[],
  noiseKey: ReturnType<typeof geometryKeys>['noiseKey'],
  step: number,
): { run: () => tf.Scalar; terms: () => Record<string, tf.Scalar>; dispose: () => void } {
  let kept: Record<string, tf.Scalar> = {};
  if (data.kind === 'stereo') {
    const { left, right } = data.examples(indices);
    return {
      run: () => {
        const disparities = disparitiesOf(models.depth.apply(left, { training: true }) as tf.Tensor[]);
        const result: GeometryLoss = stereoLoss(disparities, left, right, config);
        kept = result.terms;
        for (const t of Object.values(kept)) tf.keep(t);
        return result.loss;
      },
      terms: () => kept,
      dispose: () => tf.dispose([left, right, ...Object.values(kept)]),
    };
  }
  const { previous, target, next, K } = data.examples(indices);
  return {
    run: () => {
      const disparities = disparitiesOf(models.depth.apply(target, { training: true }) as tf.Tensor[]);
      const stacked = tf.concat([target, previous, next], 3);
      const poses = models.pose!.apply(stacked, { training: true }) as tf.Tensor;
      const [p, n] = splitPoses(poses);
      const result = monocularLoss(
        disparities,
        target,
        [previous, next],
        [poseVecToMatrix(p), poseVecToMatrix(n)],
        K,
        {
          reprojection: config.method === 'monodepth2' ? 'min-automask' : 'mean',
          alpha: config.alpha,
          smoothness: config.smoothness,
          minDepth: config.minDepth,
          maxDepth: config.maxDepth,
          key: foldIn(noiseKey, step),
        },
      );
      kept = result.terms;
      for (const t of Object.values(kept)) tf.keep(t);
      return result.loss;
    },
    terms: () => kept,
    dispose: () => tf.dispose([previous, target, next, K, ...Object.values(kept)]),
  };
}

/**
 * Trains a self-supervised depth recipe: `stereo` (Monodepth, Godard 2017, with `config.consistency`),
 * `monodepth2` (Godard 2019: per-pixel minimum reprojection, auto-masking, full-resolution multi-scale)
 * or `sfmlearner` (Zhou 2017 baseline: mean reprojection, no mask). The same guarantees as `train`:
 * weights from `geometryKeys(config).initKey`, data order from the epoch's key, Adam with warm-up and a
 * cosine (or step) schedule, metrics as JSON lines (loss and its terms), atomic checkpoints every
 * `checkpointEvery` steps, at the end and on abort, and exact resumption (weights, batch-norm
 * statistics, Adam moments, data order and noise keys continue where they were).
 *
 * @returns the trained models (the caller disposes them), the steps and the losses
 * @throws ArgumentError for data that does not fit the config, a resume without a checkpoint or one
 *   written by another run, or a non-finite loss
 * @example
 * ```ts
 * const config = resolveGeometryConfig({ method: 'stereo', steps: 300 });
 * const result = await trainGeometry({ config, data: syntheticGeometryData(config), runDir: 'runs/stereo' });
 * console.log(await evaluateGeometry(result.models, config, geometryEvalSet(config)));
 * result.models.dispose();
 * ```
 * @see Godard et al. 2017 (Monodepth), Godard et al. 2019 (Monodepth2), Zhou et al. 2017 (SfMLearner)
 */
export async function trainGeometry(options: TrainGeometryOptions): Promise<TrainGeometryResult> {
  const { data, runDir, onStep, signal, stopAfter } = options;
  const op = 'trainGeometry';
  let config = options.config;
  let checkpoint: Checkpoint | undefined;
  if (options.resume) {
    if (runDir === undefined)
      throw new ArgumentError({
        op,
        argument: 'resume',
        message: `${op}: 'resume' needs a 'runDir' holding a checkpoint.`,
      });
    checkpoint = await loadCheckpoint(runDir);
    const saved = checkpoint.config as GeometryConfig;
    if (!sameRun(saved, config)) {
      throw new ArgumentError({
        op,
        argument: 'resume',
        message: `${op}: the checkpoint in '${runDir}' is a ${saved.method} run (seed ${saved.seed}, batch ${saved.batchSize}, ${saved.height}x${saved.width}) but the config asks for ${config.method} (seed ${config.seed}, batch ${config.batchSize}, ${config.height}x${config.width}).`,
      });
    }
    config = saved;
  }
  checkGeometryData(config, data, op);
  const { initKey, orderKey, noiseKey } = geometryKeys(config);
  const models = buildGeometryModels(config, initKey);
  const optimizer = tf.train.adam(config.learningRate);
  const variables = models.trainableVariables();
  const state = { models: models.models, extraState: async () => [], restoreExtraState: () => {} };
  const totalSteps = config.steps;

  let step = 0;
  try {
    if (checkpoint) {
      await restore(state, optimizer, checkpoint);
      step = checkpoint.step;
    }
    if (runDir !== undefined) await truncateMetrics(runDir, step);
    const losses: number[] = [];
    const started = performance.now();
    let stopped: TrainGeometryResult['stopped'] = 'completed';
    const save = async (): Promise<void> => {
      if (runDir !== undefined)
        await saveCheckpoint(runDir, { step, config, groups: await snapshot(state, optimizer) });
    };
    while (step < totalSteps) {
      const learningRate = geometryLearningRate(config, step);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
      const { epoch, stepsPerEpoch, indices } = batchIndices(data, config, step, orderKey);
      const batch = stepLoss(config, models, data, indices, noiseKey, step);
      let loss: number;
      let terms: Record<string, number>;
      try {
        const lossTensor = optimizer.minimize(batch.run, true, variables)!;
        loss = (await lossTensor.data())[0]!;
        lossTensor.dispose();
        terms = {};
        for (const [name, t] of Object.entries(batch.terms())) terms[name] = (await t.data())[0]!;
      } finally {
        batch.dispose();
      }
      if (!Number.isFinite(loss)) {
        throw new ArgumentError({
          op,
          argument: 'config',
          message: `${op}: the loss became ${loss} at step ${step + 1}; lower the learning rate (now ${learningRate.toExponential(2)}).`,
        });
      }
      step++;
      losses.push(loss);
      const elapsedSeconds = (performance.now() - started) / 1000;
      const event: GeometryStepEvent = {
        method: config.method,
        step,
        totalSteps,
        epoch,
        stepsPerEpoch,
        loss,
        terms,
        learningRate,
        viewsPerSecond: (config.batchSize * losses.length) / Math.max(elapsedSeconds, 1e-9),
        elapsedSeconds,
        etaSeconds: (elapsedSeconds / losses.length) * (totalSteps - step),
      };
      if (runDir !== undefined && (step % config.logEvery === 0 || step === totalSteps))
        await appendMetrics(runDir, { step, loss, ...terms, learningRate, elapsedSeconds });
      await onStep?.(event, models);
      const last = step === totalSteps;
      const abort = signal?.aborted === true;
      const enough = stopAfter !== undefined && losses.length >= stopAfter;
      if (last || abort || enough || step % config.checkpointEvery === 0) await save();
      if (!last && (abort || enough)) {
        stopped = abort ? 'aborted' : 'stopAfter';
        break;
      }
    }
    return {
      models,
      config,
      step,
      totalSteps,
      losses,
      stopped,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    models.dispose();
    throw error;
  } finally {
    optimizer.dispose();
  }
}
