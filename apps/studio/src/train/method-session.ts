import { ArgumentError, foldIn, type Key } from '@genoise/core';
import {
  createMethod,
  keysOf,
  learningRateAt,
  type Method,
  type MethodData,
  stepIndices,
  type TrainConfig,
  type TrainState,
  trainStep,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { type SerialQueue, serialQueue } from '../lib/serial-queue';
import { nextTask } from '../lib/timing';

/** What one step of a {@link MethodSession} reports. */
export interface SessionStep {
  /** Steps completed (1 after the first). */
  readonly step: number;
  /** 0-based epoch of `fit`'s data order this step drew from (0 for an endless stream). */
  readonly epoch: number;
  readonly loss: number;
  /** The loss's named terms, when the method reports them (e.g. VICReg's invariance, UnFlow's data). */
  readonly terms: Readonly<Record<string, number>>;
  readonly learningRate: number;
  readonly milliseconds: number;
}

/** Options of {@link MethodSession.create}. */
export interface MethodSessionOptions {
  /**
   * Length of one cycle of the learning-rate schedule (`learningRateAt`: the config's warm-up and cosine
   * or step decay over this many steps, exactly as `fit` runs a job of this many steps). A page trains
   * for as long as it is asked, so after a cycle the schedule starts again (a warm restart, as in SGDR);
   * step-dependent updates after each step (BYOL's momentum) follow the same cycle. Default:
   * `config.steps`.
   */
  readonly scheduleSteps?: number;
  /**
   * The data order: the example indices (and the epoch) of each step. Default: `fit`'s
   * (`stepIndices(data.size, config.batchSize, orderKey)`, a keyed permutation per epoch). A lab whose
   * every step is one fixed batch (all its pairs, in order) gives its own.
   */
  readonly order?: (step: number) => { readonly epoch: number; readonly indices: readonly number[] };
}

/** Called after each step of {@link MethodSession.play}, inside the session's queue; return (or resolve to) `false` to pause. */
export type OnSessionStep = (step: SessionStep) => unknown;

/**
 * A live run of any method of `@genoise/train`'s registry, stepped as the trainer steps it: the method
 * from `createMethod(config, data)` (the run's init key), `fit`'s data order (`stepIndices`, unless the
 * `order` option gives another), the method's batch from the step's key (`foldIn(stepKey, step)`), train's
 * `trainStep` with Adam at `learningRateAt` (warm restarts after each cycle). So the first
 * `scheduleSteps` steps give the losses `fit` gives for the same config, bit for bit.
 *
 * Tensor work goes through one queue ({@link exclusive}): a step, an evaluation a page runs between
 * steps, a reset, never overlap. {@link play} steps until {@link pause}, yielding to the event loop
 * between steps. Owns its tensors: between steps the count is the models' weights, the method's state
 * (a queue, an EMA) and, after the first step, the optimizer's moments; {@link dispose} frees them all.
 *
 * @example
 * ```ts
 * const session = await MethodSession.create(resolveTrainConfig({ method: { name: 'rotation' } }), data);
 * void session.play((s) => { console.log(s.step, s.loss); return s.step < 100; });
 * await session.pause();
 * session.dispose();
 * ```
 */
export class MethodSession<D extends MethodData = MethodData, M extends Method<D> = Method<D>> {
  private state: TrainState<M>;
  private stepKey: Key;
  private order: NonNullable<MethodSessionOptions['order']>;
  private readonly queue: SerialQueue = serialQueue();
  private loop: Promise<void> | undefined;
  private wantsToRun = false;
  private onStep: OnSessionStep | undefined;
  private disposed = false;
  /** Steps completed since the last reset. */
  step = 0;

  private constructor(
    /** The run's config, as `fit` would take it. */
    readonly config: TrainConfig,
    /** What the method trains on. */
    readonly data: D,
    readonly scheduleSteps: number,
    method: M,
    order: MethodSessionOptions['order'],
  ) {
    const { stepKey, orderKey } = keysOf(config);
    this.stepKey = stepKey;
    this.order = order ?? stepIndices(data.size, config.batchSize, orderKey);
    this.state = this.freshState(method);
  }

  /**
   * Builds the config's method with fresh weights from the run's init key.
   *
   * @throws ArgumentError when the config has no `steps` and no `scheduleSteps` is given, or from the
   *   method's `create` (data of the wrong kind or size)
   */
  static async create<D extends MethodData, M extends Method<D> = Method<D>>(
    config: TrainConfig,
    data: D,
    options: MethodSessionOptions = {},
  ): Promise<MethodSession<D, M>> {
    const scheduleSteps = options.scheduleSteps ?? config.steps;
    if (scheduleSteps === undefined || !Number.isInteger(scheduleSteps) || scheduleSteps < 1) {
      throw new ArgumentError({
        op: 'MethodSession',
        argument: 'scheduleSteps',
        expected: 'an integer >= 1 (or a config with steps)',
        actual: String(scheduleSteps),
      });
    }
    const method = (await createMethod(config, data)) as M;
    return new MethodSession<D, M>(config, data, scheduleSteps, method, options.order);
  }

  private freshState(method: M): TrainState<M> {
    return {
      method,
      optimizer: tf.train.adam(this.config.learningRate),
      variables: method.trainableVariables(),
    };
  }

  /** The method being trained (read its models; do not dispose them). */
  get method(): M {
    return this.state.method;
  }

  /** Whether {@link play} is stepping (false once {@link pause} is asked, even while the last step finishes). */
  get running(): boolean {
    return this.wantsToRun;
  }

  /**
   * Runs `job` after every step and job queued before it, alone: use it for tensor work between steps
   * (evaluation, a picture of the network's output) so it never overlaps a step or a reset.
   */
  exclusive<T>(job: () => T | Promise<T>): Promise<T> {
    return this.queue(job);
  }

  /** The step's batch and one `trainStep`; the caller holds the queue. */
  private async stepNow(): Promise<SessionStep> {
    const started = performance.now();
    const step = this.step;
    const cycleStep = step % this.scheduleSteps;
    const learningRate = learningRateAt(this.config, cycleStep, this.scheduleSteps);
    const { epoch, indices } = this.order(step);
    const method = this.state.method;
    const batch = method.batch(this.data, indices, foldIn(this.stepKey, step), step);
    const { loss, terms } = await trainStep(this.state, batch, cycleStep, {
      totalSteps: this.scheduleSteps,
      learningRate,
    });
    this.step++;
    return { step: this.step, epoch, loss, terms, learningRate, milliseconds: performance.now() - started };
  }

  /**
   * One optimisation step on the next batch of `fit`'s data order, at the scheduled learning rate.
   *
   * @throws ArgumentError when the loss is not finite (from `trainStep`)
   */
  trainStep(): Promise<SessionStep> {
    return this.exclusive(() => this.stepNow());
  }

  /**
   * Steps until {@link pause} (or until `onStep` returns `false`), yielding to the event loop between
   * steps; each step and its `onStep` run together in the queue. Calling it while it runs returns the
   * running loop (with this `onStep` from the next step on). The promise settles when the loop stops,
   * rejecting with the error of a failed step.
   */
  play(onStep?: OnSessionStep): Promise<void> {
    this.wantsToRun = true;
    this.onStep = onStep;
    this.loop ??= (async () => {
      try {
        while (this.wantsToRun && !this.disposed) {
          const more = await this.exclusive(async () => {
            if (!this.wantsToRun || this.disposed) return false;
            const result = await this.stepNow();
            return (await this.onStep?.(result)) !== false;
          });
          if (!more) this.wantsToRun = false;
          await nextTask();
        }
      } finally {
        this.wantsToRun = false;
        this.loop = undefined;
      }
    })();
    return this.loop;
  }

  /** Stops {@link play} after the step in flight; resolves once that step (and its `onStep`) has ended. */
  async pause(): Promise<void> {
    this.wantsToRun = false;
    await this.exclusive(() => undefined);
  }

  /** Fresh weights (from the same init key) and a fresh optimizer, step 0; pauses first. */
  async reset(): Promise<void> {
    await this.pause();
    await this.exclusive(async () => {
      const method = (await createMethod(this.config, this.data)) as M;
      this.disposeState();
      this.state = this.freshState(method);
      this.step = 0;
    });
  }

  private disposeState(): void {
    this.state.method.dispose();
    this.state.optimizer.dispose();
  }

  /** Frees the method's and the optimizer's tensors. Pause first when a loop runs ({@link pause}). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.wantsToRun = false;
    this.disposeState();
  }
}
