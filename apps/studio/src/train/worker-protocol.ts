// The message protocol every training worker of the studio speaks (the contrastive page's and the live
// UnFlow's): the same start, play / pause / step, progress, state and error messages, with each page's
// own start payload, commands, ready fields and results as type parameters.
import type { BrowserBackend } from '../lib/url-options';
import type { BackendChoice } from '../shell/choose-backend';

/** Where a run is: what a page's Train / Step / Reset controls and status line show. */
export interface RunState {
  readonly running: boolean;
  /** The run reached its last step (only a run with an end sets it; Train then says Done). */
  readonly finished: boolean;
  /** Steps completed since the last reset. */
  readonly step: number;
}

/** What every step reports (a page's progress type extends it): the loss curve and the read-outs. */
export interface StepProgress {
  /** Steps completed (1 after the first). */
  readonly step: number;
  readonly loss: number;
  readonly milliseconds: number;
}

/** The backend a worker runs on, as `startBackend` chose it (what the page's backend line shows). */
export type BackendReport = Pick<BackendChoice, 'info' | 'notice' | 'fellBack'>;

/**
 * Page → worker: `init` (start the backend the page asks for, then the run from `Start`), the three run
 * controls every page has, and the page's own `Command`s.
 */
export type WorkerRequest<Start extends object, Command extends { readonly type: string } = never> =
  | ({ readonly type: 'init'; readonly backend: BrowserBackend | 'auto' } & Start)
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | Command;

/**
 * Worker → page. Every message carries the worker's live tensor count (`tf.memory().numTensors`), so a
 * page can show leaks. `ready` (the backend, and the page's `Ready` fields), one `step` per training step
 * (`Progress` and the steps per second over the last few steps), the run's `state` after each change,
 * `error`, and the page's own `Result`s.
 */
export type WorkerEvent<
  Ready extends object,
  Progress extends StepProgress,
  Result extends { readonly type: string } = never,
> = { readonly numTensors: number } & (
  | ({ readonly type: 'ready' } & BackendReport & Ready)
  | ({ readonly type: 'step'; readonly stepsPerSecond: number } & Progress)
  | ({ readonly type: 'state' } & RunState)
  | { readonly type: 'error'; readonly message: string }
  | Result
);

/** Any request of the protocol (the constraint of the generic helpers). */
export type AnyWorkerRequest = WorkerRequest<object, { readonly type: string }>;

/** Any event of the protocol (the constraint of the generic helpers). */
export type AnyWorkerEvent = WorkerEvent<object, StepProgress, { readonly type: string }>;

/** An event as the worker hands it over, before the host adds the tensor count. */
export type Unstamped<E> = E extends unknown ? Omit<E, 'numTensors'> : never;

/** The page's own fields of an event's `ready` message. */
export type ReadyFields<E extends AnyWorkerEvent> = Omit<
  Extract<Unstamped<E>, { readonly type: 'ready' }>,
  'type' | keyof BackendReport
>;

/** The progress of an event's `step` message (without the steps per second the host adds). */
export type ProgressOf<E extends AnyWorkerEvent> = Omit<
  Extract<Unstamped<E>, { readonly type: 'step' }>,
  'type' | 'stepsPerSecond'
>;
