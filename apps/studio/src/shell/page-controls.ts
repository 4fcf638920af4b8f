// The page side of the studio's training-worker protocol (train/worker-protocol.ts): the Train / Step /
// Reset controls, the status line and the read-outs every training page shows, wired to its worker.
import { h, lossChart, metric } from '../lib/dom';
import type {
  AnyWorkerEvent,
  AnyWorkerRequest,
  RunState,
  StepProgress,
  WorkerEvent,
} from '../train/worker-protocol';
import type { Shell } from './shell';

/** What the controls show for a run's state. */
export interface ControlsView {
  /** The Train button's label: Pause while running, Done once the run reached its end, else Train. */
  readonly play: 'Train' | 'Pause' | 'Done';
  readonly playDisabled: boolean;
  readonly stepDisabled: boolean;
  readonly status: string;
}

/** The controls for `state` (see {@link ControlsView}). */
export function controlsView(state: RunState): ControlsView {
  const { running, finished, step } = state;
  return {
    play: running ? 'Pause' : finished ? 'Done' : 'Train',
    playDisabled: !running && finished,
    stepDisabled: running || finished,
    status: running
      ? 'training…'
      : finished
        ? `done: ${step} steps (Reset to train again)`
        : `paused at step ${step}`,
  };
}

/** Element ids of the shared controls and read-outs (unique in the page). */
export interface ControlIds {
  readonly play: string;
  readonly step: string;
  readonly reset: string;
  readonly status: string;
  /** The read-outs: steps, the last loss, steps per second, the worker's tensors, the longest UI frame. */
  readonly steps: string;
  readonly loss: string;
  readonly speed: string;
  readonly tensors: string;
  readonly frameGap: string;
  /** The loss curve's SVG. */
  readonly chart: string;
}

/** Options of {@link workerControls}. */
export interface WorkerControlsOptions<R extends AnyWorkerRequest, E extends AnyWorkerEvent> {
  readonly shell: Shell;
  /**
   * The page's worker. The page creates it (`new Worker(new URL('...', import.meta.url), { type: 'module' })`
   * is what Vite bundles as a worker).
   */
  readonly worker: Worker;
  /** The worker as an error message names it, e.g. `'the flow worker'`. */
  readonly name: string;
  readonly ids: ControlIds;
  /** The loss read-out's label. Default `'loss'`. */
  readonly lossLabel?: string;
  /** The loss curve's size in pixels. */
  readonly chart: { readonly width: number; readonly height: number };
  /** The request the Reset button sends (the page's settings at the time). */
  readonly reset: () => R;
  /** Every event, after the shared controls and read-outs have taken theirs: the page's own views. */
  readonly onEvent: (event: E) => void;
  /** Where errors go (the worker's `error` events and a worker that fails). Default: the shell's error line. */
  readonly onError?: (error: Error) => void;
}

/** The shared controls of a training page, wired to its worker (see {@link workerControls}). */
export interface WorkerControls<R extends AnyWorkerRequest> {
  readonly play: HTMLButtonElement;
  readonly step: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly status: HTMLSpanElement;
  /** The read-outs' boxes, for the page to lay out. */
  readonly boxes: {
    readonly steps: HTMLElement;
    readonly loss: HTMLElement;
    readonly speed: HTMLElement;
    readonly tensors: HTMLElement;
    readonly frameGap: HTMLElement;
  };
  readonly chart: SVGSVGElement;
  /** Posts a request to the worker. */
  send(request: R): void;
  /** Posts `init` on the page's backend (the shell's `?backend=`) with the page's start payload. */
  start(payload: Omit<Extract<R, { readonly type: 'init' }>, 'type' | 'backend'>): void;
  /** Clears the loss curve and the step, loss and speed read-outs (after a reset). */
  clear(): void;
}

/**
 * Builds the Train / Step / Reset buttons (disabled until the worker is ready), the status line, the
 * read-outs (steps, loss, steps per second, the worker's tensor count, the longest UI frame of the last
 * second) and the loss curve, and wires them to `worker` through the studio's worker protocol: Train
 * sends `play` or `pause`, Step `step`, Reset the page's request; every event updates the tensor count,
 * `step` the curve and read-outs, `state` the buttons and status ({@link controlsView}), `ready` enables
 * the buttons; then the page's `onEvent` sees it. The page lays the elements out and adds its own views.
 */
export function workerControls<R extends AnyWorkerRequest, E extends AnyWorkerEvent>(
  options: WorkerControlsOptions<R, E>,
): WorkerControls<R> {
  const { shell, worker, ids } = options;
  const onError = options.onError ?? ((error: Error) => shell.showError(error));
  const play = h('button', { id: ids.play, class: 'primary', disabled: true }, 'Train');
  const step = h('button', { id: ids.step, disabled: true }, 'Step');
  const reset = h('button', { id: ids.reset, disabled: true }, 'Reset');
  const status = h('span', { id: ids.status, class: 'muted' }, 'starting the worker…');
  const [stepsBox, stepsEl] = metric(ids.steps, 'steps', '0');
  const [lossBox, lossEl] = metric(ids.loss, options.lossLabel ?? 'loss');
  const [speedBox, speedEl] = metric(ids.speed, 'steps / s');
  const [tensorsBox, tensorsEl] = metric(ids.tensors, 'tensors in the worker');
  const [gapBox, gapEl] = metric(ids.frameGap, 'longest UI frame, ms');
  const chart = lossChart(ids.chart, options.chart.width, options.chart.height);
  const send = (request: R) => worker.postMessage(request);
  const losses: number[] = [];

  // The page stays responsive: the longest gap between animation frames, over the last second.
  let last = performance.now();
  let longest = 0;
  let windowStart = last;
  const tick = (now: number) => {
    longest = Math.max(longest, now - last);
    last = now;
    if (now - windowStart > 1000) {
      gapEl.textContent = longest.toFixed(0);
      longest = 0;
      windowStart = now;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  const clear = () => {
    losses.length = 0;
    chart.draw(losses);
    stepsEl.textContent = '0';
    lossEl.textContent = '–';
    speedEl.textContent = '–';
  };

  worker.addEventListener('message', (event: MessageEvent<E>) => {
    // The protocol's own events (a page's results pass through to its onEvent).
    const message = event.data as unknown as WorkerEvent<object, StepProgress>;
    tensorsEl.textContent = String(message.numTensors);
    switch (message.type) {
      case 'ready':
        for (const button of [play, step, reset]) button.disabled = false;
        status.textContent = 'ready';
        break;
      case 'step':
        losses.push(message.loss);
        stepsEl.textContent = String(message.step);
        lossEl.textContent = message.loss.toFixed(4);
        speedEl.textContent = message.stepsPerSecond.toFixed(2);
        chart.draw(losses);
        break;
      case 'state': {
        const view = controlsView(message);
        play.textContent = view.play;
        play.disabled = view.playDisabled;
        step.disabled = view.stepDisabled;
        reset.disabled = false;
        status.textContent = view.status;
        break;
      }
      case 'error':
        onError(new Error(message.message));
        break;
    }
    options.onEvent(event.data);
  });
  worker.addEventListener('error', (event) =>
    onError(new Error(event.message ? `${options.name} failed: ${event.message}` : `${options.name} failed`)),
  );

  play.addEventListener('click', () => {
    const pausing = play.textContent === 'Pause';
    play.disabled = true; // until the worker says what it does
    step.disabled = true;
    send({ type: pausing ? 'pause' : 'play' } as R);
    if (!pausing) play.disabled = false;
  });
  step.addEventListener('click', () => {
    step.disabled = true; // until the worker reports the state after the step
    send({ type: 'step' } as R);
  });
  reset.addEventListener('click', () => {
    reset.disabled = true;
    send(options.reset());
  });

  return {
    play,
    step,
    reset,
    status,
    boxes: { steps: stepsBox, loss: lossBox, speed: speedBox, tensors: tensorsBox, frameGap: gapBox },
    chart: chart.svg,
    send,
    start: (payload) => send({ ...payload, type: 'init', backend: shell.options.backend } as unknown as R),
    clear,
  };
}
