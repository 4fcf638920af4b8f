// The worker side of the studio's training-worker protocol (worker-protocol.ts): what every training
// worker does the same way (stamping the tensor count, the steps per second, errors, the listener).
import * as tf from '@tensorflow/tfjs-core';
import { StepRate } from '../lib/timing';
import type {
  AnyWorkerEvent,
  AnyWorkerRequest,
  BackendReport,
  ProgressOf,
  ReadyFields,
  RunState,
  Unstamped,
} from './worker-protocol';

/** The part of a worker's global scope the host uses (`self` in a worker; a stand-in in tests). */
export interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Options of {@link workerHost}. */
export interface WorkerHostOptions {
  /** The run's state, posted after each change and after an error. */
  readonly state: () => RunState;
  /** Called on an error before it is posted (e.g. to stop a loop). */
  readonly onError?: (error: unknown) => void;
  /** Default: the worker's `self`. */
  readonly scope?: WorkerScope;
  /** Milliseconds now, for the steps per second. Default `performance.now`. */
  readonly clock?: () => number;
}

/** What a training worker posts through (see {@link workerHost}). */
export interface WorkerHost<E extends AnyWorkerEvent> {
  /** Posts `message` with the worker's live tensor count (`tf.memory().numTensors`). */
  post(message: Unstamped<E>, transfer?: Transferable[]): void;
  /** Posts `ready`: the backend `startBackend` chose, and the page's fields. */
  ready(backend: BackendReport, fields: ReadyFields<E>): void;
  /** Posts a `step` with the steps per second over the last 10 steps (`1000 / milliseconds` for the first). */
  stepped(progress: ProgressOf<E>): void;
  /** Forgets the recent steps' times (after a pause or a reset, so the wait is not counted). */
  restartRate(): void;
  /** Posts the run's `state`. */
  postState(): void;
  /** Posts `error` with the error's message, then the run's `state`. */
  fail(error: unknown): void;
  /** Handles each request with `handle`; a request that fails is reported by {@link fail}. */
  listen<R extends AnyWorkerRequest>(handle: (request: R) => Promise<void>): void;
}

/**
 * The host a training worker posts its events through: every event stamped with the live tensor count,
 * steps with their rate, errors as messages followed by the state.
 *
 * @example
 * ```ts
 * const host = workerHost<FromWorker>({ state: () => ({ running, finished: false, step }) });
 * host.listen<ToWorker>(async (request) => { ... host.stepped(await session.trainStep()); ... });
 * ```
 */
export function workerHost<E extends AnyWorkerEvent>(options: WorkerHostOptions): WorkerHost<E> {
  const scope = options.scope ?? (self as unknown as WorkerScope);
  const clock = options.clock ?? (() => performance.now());
  const rate = new StepRate();
  const post = (message: Unstamped<E>, transfer: Transferable[] = []) =>
    scope.postMessage({ ...message, numTensors: tf.memory().numTensors }, transfer);
  // The protocol's own messages, which every E has (the generic E cannot narrow to them).
  const postOwn = (message: Unstamped<AnyWorkerEvent>) => post(message as Unstamped<E>);
  const postState = () => postOwn({ type: 'state', ...options.state() });
  const fail = (error: unknown) => {
    options.onError?.(error);
    postOwn({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    postState();
  };
  return {
    post,
    ready: ({ info, notice, fellBack }, fields) =>
      postOwn({ ...(fields as object), type: 'ready', info, notice, fellBack }),
    stepped(progress) {
      const { milliseconds } = progress as ProgressOf<AnyWorkerEvent>;
      const stepsPerSecond = rate.tick(clock()) ?? 1000 / milliseconds;
      postOwn({ ...(progress as ProgressOf<AnyWorkerEvent>), type: 'step', stepsPerSecond });
    },
    restartRate: () => rate.clear(),
    postState,
    fail,
    listen(handle) {
      scope.addEventListener('message', (event) => {
        handle(event.data).catch(fail);
      });
    },
  };
}
