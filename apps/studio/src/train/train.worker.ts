// The contrastive training page's worker: tensors live here, so training never blocks the page.
import { loadFashionSubset } from '../lib/fashion-data';
import { serialQueue } from '../lib/serial-queue';
import { nextTask } from '../lib/timing';
import { startBackend } from '../shell/backends';
import { ContrastiveSession, representationMethods } from './contrastive-session';
import type { FromWorker, ToWorker } from './protocol';
import { workerHost } from './worker-host';

let session: ContrastiveSession | undefined;
let running = false;
let evalEvery = 25;
let loopActive = false;

const host = workerHost<FromWorker>({
  state: () => ({ running, finished: false, step: session?.step ?? 0 }),
  onError: () => {
    running = false;
  },
});
const { post } = host;

/** Runs tensor work one job at a time, so a reset never lands in the middle of a step. */
const exclusive = serialQueue();

async function evaluate(): Promise<void> {
  const result = await session!.evaluate();
  post({ type: 'evaluation', ...result }, []);
}

async function oneStep(): Promise<void> {
  const result = await session!.trainStep();
  host.stepped(result);
  if (evalEvery > 0 && result.step % evalEvery === 0) await evaluate();
}

async function loop(): Promise<void> {
  if (loopActive) return;
  loopActive = true;
  try {
    while (running) {
      await exclusive(oneStep);
      // Yield so pause/reset messages are handled between steps.
      await nextTask();
    }
  } catch (error) {
    host.fail(error);
  } finally {
    loopActive = false;
  }
}

host.listen<ToWorker>(async (message) => {
  switch (message.type) {
    case 'init': {
      const choice = await startBackend(message.backend);
      evalEvery = message.evalEvery;
      const data = await loadFashionSubset(message.dataUrl);
      session = await ContrastiveSession.create(data, message.settings);
      host.ready(choice, { settings: session.settings, methods: representationMethods() });
      await exclusive(evaluate);
      return;
    }
    case 'play':
      running = true;
      host.postState();
      void loop();
      return;
    case 'pause':
      running = false;
      await exclusive(async () => undefined); // wait for the step in flight
      host.restartRate();
      host.postState();
      return;
    case 'step':
      await exclusive(oneStep);
      host.postState();
      return;
    case 'reset':
      running = false;
      host.restartRate();
      await exclusive(async () => {
        await session!.reset(message.settings);
        post({ type: 'reset', settings: session!.settings });
        host.postState();
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
});
