// The geometry page's UnFlow worker: the flow lab's tensors live here, so training never blocks the page.
import { startBackend } from '../shell/backends';
import { workerHost } from '../train/worker-host';
import { FlowLab, type FlowLabSettings, type FlowLabView, flowLabConfig, flowLabInfo } from './flow-lab';
import type { FromFlowWorker, ToFlowWorker } from './flow-protocol';

let lab: FlowLab | undefined;
let every = 10;
let shown = 0;

const host = workerHost<FromFlowWorker>({
  state: () => ({
    running: lab?.running ?? false,
    finished: lab?.finished ?? false,
    step: lab?.step ?? 0,
  }),
});
const { post, postState } = host;

const buffers = (view: FlowLabView): Transferable[] =>
  [view.frame1, view.predicted, view.truth, view.mask, view.occlusion, view.compare].map((b) => b.buffer);

/** The metric line and the shown pair; runs between steps (inside the lab's queue). */
async function snapshot(run: FlowLab): Promise<void> {
  const metrics = await run.evaluate();
  const view = await run.view(Math.min(shown, run.evalPairs - 1));
  post({ type: 'snapshot', metrics, view }, buffers(view));
}

host.listen<ToFlowWorker>(async (message) => {
  if (message.type === 'init') {
    const choice = await startBackend(message.backend);
    every = message.every;
    lab = await FlowLab.create(message.settings);
    host.ready(choice, { lab: flowLabInfo(lab) });
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
      host.restartRate();
      const loop = run.play(async (step) => {
        host.stepped(step);
        if (step.step % every === 0 || run.finished) await snapshot(run);
      });
      postState();
      await loop.catch(host.fail);
      postState();
      return;
    }
    case 'pause':
      await run.pause();
      host.restartRate();
      return postState();
    case 'step': {
      if (run.running || run.finished) return postState();
      host.stepped(await run.trainStep());
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
      host.restartRate();
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
});
