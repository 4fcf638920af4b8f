// The geometry page's UnFlow worker: the flow lab's tensors live here, so training never blocks the page.
import * as tf from '@tensorflow/tfjs-core';
import { startBackend } from '../shell/backends';
import type { SessionStep } from '../train/method-session';
import { FlowLab, type FlowLabSettings, type FlowLabView, flowLabConfig, flowLabInfo } from './flow-lab';
import type { FromFlowWorker, ToFlowWorker } from './flow-protocol';

type Payload = FromFlowWorker extends infer M
  ? M extends FromFlowWorker
    ? Omit<M, 'numTensors'>
    : never
  : never;

const post = (message: Payload, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage({ ...message, numTensors: tf.memory().numTensors }, transfer);

let lab: FlowLab | undefined;
let every = 10;
let shown = 0;
const recent: number[] = []; // step end times, for steps per second

const buffers = (view: FlowLabView): Transferable[] =>
  [view.frame1, view.predicted, view.truth, view.mask, view.occlusion, view.compare].map((b) => b.buffer);

function postState(): void {
  post({
    type: 'state',
    running: lab?.running ?? false,
    finished: lab?.finished ?? false,
    step: lab?.step ?? 0,
  });
}

function fail(error: unknown): void {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  postState();
}

/** The metric line and the shown pair; runs between steps (inside the lab's queue). */
async function snapshot(run: FlowLab): Promise<void> {
  const metrics = await run.evaluate();
  const view = await run.view(Math.min(shown, run.evalPairs - 1));
  post({ type: 'snapshot', metrics, view }, buffers(view));
}

function stepped(step: SessionStep): void {
  const now = performance.now();
  recent.push(now);
  while (recent.length > 11) recent.shift();
  const stepsPerSecond =
    recent.length > 1 ? ((recent.length - 1) * 1000) / (now - recent[0]!) : 1000 / step.milliseconds;
  post({ type: 'step', stepsPerSecond, ...step });
}

async function handle(message: ToFlowWorker): Promise<void> {
  if (message.type === 'init') {
    const choice = await startBackend(message.backend);
    every = message.every;
    lab = await FlowLab.create(message.settings);
    post({
      type: 'ready',
      info: choice.info,
      notice: choice.notice,
      fellBack: choice.fellBack,
      lab: flowLabInfo(lab),
    });
    const run = lab;
    await run.exclusive(() => snapshot(run));
    postState();
    return;
  }
  const run = lab;
  if (run === undefined) throw new Error(`flow worker: '${message.type}' before 'init'`);
  switch (message.type) {
    case 'play': {
      if (run.running || run.finished) return postState();
      recent.length = 0;
      const loop = run.play(async (step) => {
        stepped(step);
        if (step.step % every === 0 || run.finished) await snapshot(run);
      });
      postState();
      await loop.catch(fail);
      postState();
      return;
    }
    case 'pause':
      await run.pause();
      recent.length = 0;
      return postState();
    case 'step': {
      if (run.running || run.finished) return postState();
      stepped(await run.trainStep());
      await run.exclusive(() => snapshot(run));
      return postState();
    }
    case 'show':
      shown = message.index;
      await run.exclusive(async () => {
        const view = await run.view(Math.min(shown, run.evalPairs - 1));
        post({ type: 'view', view }, buffers(view));
      });
      return;
    case 'reset': {
      await run.pause();
      recent.length = 0;
      const next: FlowLabSettings = { ...run.settings, ...message.settings };
      // The same run (the knobs at values that resolve to the current config): fresh weights only.
      const same =
        JSON.stringify(flowLabConfig(next)) === JSON.stringify(run.config) &&
        next.evalPairs === run.settings.evalPairs;
      let current = run;
      if (same) await run.reset();
      else {
        current = await FlowLab.create(next); // an invalid setting throws here; the old run stays
        await run.exclusive(() => undefined);
        run.dispose();
        lab = current;
      }
      post({ type: 'reset', lab: flowLabInfo(current) });
      await current.exclusive(() => snapshot(current));
      return postState();
    }
  }
}

self.addEventListener('message', (event: MessageEvent<ToFlowWorker>) => {
  handle(event.data).catch(fail);
});
