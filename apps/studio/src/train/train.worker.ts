// The contrastive training page's worker: tensors live here, so training never blocks the page.
import * as tf from '@tensorflow/tfjs-core';
import { loadFashionSubset } from '../lib/fashion-data';
import { startBackend } from '../shell/backends';
import { ContrastiveSession, representationMethods } from './contrastive-session';
import type { FromWorker, ToWorker } from './protocol';

type Payload = FromWorker extends infer M ? (M extends FromWorker ? Omit<M, 'numTensors'> : never) : never;

const post = (message: Payload, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage({ ...message, numTensors: tf.memory().numTensors }, transfer);

let session: ContrastiveSession | undefined;
let running = false;
let evalEvery = 25;
let loopActive = false;
const recent: number[] = []; // step end times, for steps per second

/** Runs tensor work one job at a time, so a reset never lands in the middle of a step. */
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job);
  queue = next.catch(() => undefined);
  return next;
}

function fail(error: unknown): void {
  running = false;
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  post({ type: 'state', running, step: session?.step ?? 0 });
}

async function evaluate(): Promise<void> {
  const result = await session!.evaluate();
  post({ type: 'evaluation', ...result }, []);
}

async function oneStep(): Promise<void> {
  const result = await session!.trainStep();
  const now = performance.now();
  recent.push(now);
  while (recent.length > 11) recent.shift();
  const stepsPerSecond =
    recent.length > 1 ? ((recent.length - 1) * 1000) / (now - recent[0]!) : 1000 / result.milliseconds;
  post({ type: 'step', stepsPerSecond, ...result });
  if (evalEvery > 0 && result.step % evalEvery === 0) await evaluate();
}

async function loop(): Promise<void> {
  if (loopActive) return;
  loopActive = true;
  try {
    while (running) {
      await exclusive(oneStep);
      // Yield so pause/reset messages are handled between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (error) {
    fail(error);
  } finally {
    loopActive = false;
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init': {
      const choice = await startBackend(message.backend);
      evalEvery = message.evalEvery;
      const data = await loadFashionSubset(message.dataUrl);
      session = await ContrastiveSession.create(data, message.settings);
      post({
        type: 'ready',
        info: choice.info,
        notice: choice.notice,
        fellBack: choice.fellBack,
        settings: session.settings,
        methods: representationMethods(),
      });
      await exclusive(evaluate);
      return;
    }
    case 'play':
      running = true;
      post({ type: 'state', running, step: session?.step ?? 0 });
      void loop();
      return;
    case 'pause':
      running = false;
      await exclusive(async () => undefined); // wait for the step in flight
      recent.length = 0;
      post({ type: 'state', running, step: session?.step ?? 0 });
      return;
    case 'step':
      await exclusive(oneStep);
      return;
    case 'reset':
      running = false;
      recent.length = 0;
      await exclusive(async () => {
        await session!.reset(message.settings);
        post({ type: 'reset', settings: session!.settings });
        post({ type: 'state', running, step: 0 });
        await evaluate();
      });
      return;
    case 'evaluate':
      await exclusive(evaluate);
      return;
    case 'neighbours': {
      const found = await exclusive(() => session!.neighbours(message.query, message.k));
      post({ type: 'neighbours', ...found });
      return;
    }
    case 'save':
      await exclusive(() => session!.saveEncoder(message.url));
      post({ type: 'saved', url: message.url, step: session!.step });
      return;
    case 'load': {
      const savedAtStep = await exclusive(() => session!.loadEncoder(message.url));
      post({ type: 'loaded', url: message.url, savedAtStep });
      await exclusive(evaluate);
      return;
    }
    case 'setEvalEvery':
      evalEvery = message.evalEvery;
      return;
  }
}

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch(fail);
});
