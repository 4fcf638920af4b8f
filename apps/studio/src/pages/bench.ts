import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_LAB, STEREO_LAB_METHOD, StereoLab, syntheticPairs } from '../geometry/stereo-lab';
import { h } from '../lib/dom';
import { loadFashionSubset } from '../lib/fashion-data';
import { type BenchRow, nextTask, timeSteps } from '../lib/timing';
import { intParam } from '../lib/url-options';
import type { BackendChoice } from '../shell/choose-backend';
import { mountPage, type Shell } from '../shell/shell';
import { ContrastiveSession, representationMethods } from '../train/contrastive-session';

async function run(shell: Shell, choice: BackendChoice | undefined): Promise<void> {
  const { main, options } = shell;
  const batch = intParam(options.params, 'batch', 64, 2, 512);
  const steps = intParam(options.params, 'steps', 10, 1, 1000);
  const warmup = intParam(options.params, 'warmup', 2, 0, 100);
  const stereoBatch = intParam(options.params, 'stereoBatch', 4, 1, 16);
  const tasks = (
    options.params.get('tasks') ?? `${representationMethods()[0]!.name},${STEREO_LAB_METHOD}`
  ).split(',');
  const tableBody = h('tbody', {});
  const json = h('pre', { id: 'bench-json', class: 'caption', style: 'max-width:none' }, '');
  const status = h('span', { id: 'bench-status', class: 'muted' }, 'waiting');
  const again = h('button', { id: 'bench-run', class: 'primary' }, 'Run');
  // wasm only: the thread count and whether the page is cross-origin isolated (threads need
  // SharedArrayBuffer, which only COOP + COEP give; tfjs then loads its threaded SIMD build).
  const isolated = globalThis.crossOriginIsolated === true;
  const threads = choice?.info.name === 'wasm' ? choice.info.threads : undefined;
  const threading = h(
    'p',
    { id: 'bench-threads', class: 'caption', style: 'max-width:none' },
    choice?.info.name === 'wasm'
      ? `wasm: ${threads ?? '?'} thread${threads === 1 ? '' : 's'}, multithread support ${String(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'))}, crossOriginIsolated ${String(isolated)}`
      : `crossOriginIsolated ${String(isolated)}`,
  );
  main.append(
    h(
      'section',
      { class: 'panel' },
      h('div', { class: 'controls' }, again, status),
      threading,
      h(
        'p',
        { class: 'caption', style: 'max-width:none' },
        `Training steps on the backend shown above, in this page's main thread: ${warmup} warm-up steps (shader compilation, allocation), then the median of ${steps} timed steps. Change the backend at the top right to compare; ?batch=, ?steps= and ?warmup= set the sizes; ?tasks= picks the steps (any representation method of the registry, e.g. simclr,byol,vicreg, and stereo).`,
      ),
      h(
        'table',
        { class: 'bench' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['task', 'backend', 'batch', 'ms / step (median)', 'steps / s'].map((t) => h('th', {}, t)),
          ),
        ),
        tableBody,
      ),
      json,
    ),
  );

  const rows: BenchRow[] = [];
  const show = () => {
    tableBody.replaceChildren(
      ...rows.map((r) =>
        h(
          'tr',
          { 'data-task': r.task },
          h('td', {}, r.task),
          h('td', {}, r.backend),
          h('td', {}, r.batch),
          h('td', {}, r.medianMs.toFixed(1)),
          h('td', { class: 'steps-per-second' }, r.stepsPerSecond.toFixed(2)),
        ),
      ),
    );
    json.textContent = JSON.stringify(rows, null, 1);
  };

  // Tasks by name: every representation method of @genoise/train's registry (a ContrastiveSession step,
  // as the training page runs it) and the geometry page's stereo lab. ?tasks= picks them (default
  // SimCLR and the stereo lab).
  const benchTasks = new Map<string, (backend: string) => Promise<void>>([
    ...representationMethods().map(
      ({ name, summary }) =>
        [name, (backend: string) => benchRepresentation(backend, name, summary)] as const,
    ),
    [STEREO_LAB_METHOD, (backend: string) => benchStereo(backend)],
  ]);

  const bench = async () => {
    again.disabled = true;
    rows.length = 0;
    show();
    const backend = tf.getBackend();
    for (const task of tasks) {
      const run = benchTasks.get(task);
      if (run === undefined)
        throw new Error(`bench: unknown task '${task}'; choose from ${[...benchTasks.keys()].join(', ')}.`);
      await run(backend);
    }
    status.textContent = 'done';
    again.disabled = false;
  };

  const benchRepresentation = async (backend: string, method: string, summary: string) => {
    status.textContent = `${method}…`;
    const data = await loadFashionSubset();
    const session = await ContrastiveSession.create(data, {
      method,
      batchSize: batch,
      bankSize: 20,
      evalSize: 10,
    });
    try {
      const timed = await timeSteps(() => session.trainStep(), { warmup, steps, pause: nextTask });
      rows.push({
        task: `${summary} (small convnet, 28x28x1, Adam)`,
        backend,
        batch: `${batch}`,
        steps,
        ...timed,
        ...(threads !== undefined ? { threads } : {}),
        crossOriginIsolated: isolated,
      });
      show();
    } finally {
      session.dispose();
    }
  };

  const benchStereo = async (backend: string) => {
    status.textContent = 'stereo…';
    const settings = { ...DEFAULT_LAB, scenes: stereoBatch };
    const lab = await StereoLab.create(syntheticPairs(settings), settings);
    try {
      const stereo = await timeSteps(() => lab.trainStep(), {
        warmup: Math.min(warmup, 1),
        steps: Math.max(1, Math.ceil(steps / 2)),
        pause: nextTask,
      });
      rows.push({
        task: `Stereo depth step (train's ${lab.config.method.name} method, consistency '${settings.consistency}', U-Net, ${settings.width}x${settings.height}x3)`,
        backend,
        batch: `${stereoBatch}`,
        steps: Math.max(1, Math.ceil(steps / 2)),
        ...stereo,
        ...(threads !== undefined ? { threads } : {}),
        crossOriginIsolated: isolated,
      });
      show();
    } finally {
      lab.dispose();
    }
  };
  again.addEventListener('click', () => void bench().catch((e) => shell.showError(e)));
  if (options.params.get('autorun') !== '0') void bench().catch((e) => shell.showError(e));
}

void mountPage(
  'bench',
  'How many training steps per second this browser runs on each backend.',
  async (shell, choice) => run(shell, choice),
);
