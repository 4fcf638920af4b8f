// The geometry page's live UnFlow section: @genoise/train's unflow trained in a Web Worker (FlowLab in
// geometry/flow.worker.ts), with the network's flow and its forward-backward occlusion mask on a held-out
// pair every few steps.
import {
  DEFAULT_FLOW_LAB,
  FLOW_DATA_TERMS,
  FLOW_LAB_METHOD,
  type FlowLabInfo,
  type FlowLabSettings,
  type FlowLabView,
  flowLabConfig,
  hasFlowMethod,
  metricLine,
} from '../geometry/flow-lab';
import type { FromFlowWorker, ToFlowWorker } from '../geometry/flow-protocol';
import { canvasFigure, h, metric, paint } from '../lib/dom';
import { choiceParam, intParam, numberParam } from '../lib/url-options';
import { workerControls } from '../shell/page-controls';
import { describeBackend, type Shell } from '../shell/shell';

const ZOOM = 2;
const PANELS = ['frame1', 'predicted', 'truth', 'mask', 'occlusion', 'compare'] as const;

/** A panel, as wide as its picture (its caption wraps under it). */
function figure(id: string, title: string, caption: string, width: number, height: number) {
  const panel = canvasFigure(id, title, caption, width, height, ZOOM);
  panel.element.style.maxWidth = `${Math.max(width * ZOOM, 120)}px`;
  return panel;
}

const percent = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : 'n/a');

/** The page's settings from its URL (the registry's defaults where a knob is absent). */
function urlSettings(params: URLSearchParams): FlowLabSettings {
  const steps = numberParam(params, 'flowSteps', undefined, 1, 1_000_000);
  const batchSize = numberParam(params, 'flowBatch', undefined, 1, 64);
  return {
    ...DEFAULT_FLOW_LAB,
    seed: intParam(params, 'flowTrainSeed', 0, 0, 1_000_000),
    steps: steps === undefined ? undefined : Math.round(steps),
    learningRate: numberParam(params, 'flowLr', undefined, 1e-6, 1),
    dataTerm: choiceParam(params, 'flowData', FLOW_DATA_TERMS, undefined),
    batchSize: batchSize === undefined ? undefined : Math.round(batchSize),
    poolSize: intParam(params, 'flowPool', DEFAULT_FLOW_LAB.poolSize, 1, 4096),
    evalPairs: intParam(params, 'flowEvalPairs', DEFAULT_FLOW_LAB.evalPairs, 1, 16),
  };
}

/**
 * The section, once its worker has drawn the first held-out pair. URL options: `flowSteps`, `flowLr`,
 * `flowData` (census | photometric) and `flowBatch` (the registry's defaults when absent), `flowPool`
 * (training pairs), `flowEvalPairs` (held-out pairs), `flowEvery` (steps between pictures),
 * `flowTrainSeed`; the worker runs on the page's `backend`.
 */
export async function flowLabSection(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const section = h(
    'section',
    { class: 'panel', id: 'unflow-lab' },
    h('h2', {}, 'Live training: unsupervised optical flow (UnFlow)'),
  );
  main.append(section);
  if (!hasFlowMethod()) {
    section.append(
      h(
        'p',
        { class: 'caption', id: 'unflow-missing', style: 'max-width:none' },
        `@genoise/train's registry has no '${FLOW_LAB_METHOD}' method in this build, so there is nothing to train here yet.`,
      ),
    );
    return;
  }
  const settings = urlSettings(options.params);
  const every = intParam(options.params, 'flowEvery', 10, 1, 10_000);
  // Resolved here too (no tensors): the frame size for the canvases, and a bad URL knob fails early.
  const config = flowLabConfig(settings);
  const { height, width } = config.method as unknown as { height: number; width: number };

  const f = {
    frame1: figure('unflow-frame1', 'frame 1', 'held-out pair', width, height),
    predicted: figure('unflow-predicted', 'flow, network', '', width, height),
    truth: figure('unflow-truth', 'flow, ground truth', '', width, height),
    mask: figure('unflow-mask', 'fb check, network', 'white: its own round trip fails', width, height),
    occlusion: figure(
      'unflow-occlusion',
      'occlusion, ground truth',
      'white: hidden or out of view',
      width,
      height,
    ),
    compare: figure(
      'unflow-compare',
      'check vs truth',
      'white both · orange check only · blue missed',
      width,
      height,
    ),
  };
  const stepsInput = h('input', {
    type: 'number',
    id: 'unflow-steps',
    min: 1,
    max: 1_000_000,
    value: config.steps ?? '',
    style: 'width:6em',
  });
  const rateInput = h('input', {
    type: 'text',
    id: 'unflow-lr',
    value: String(config.learningRate),
    style: 'width:6em',
  });
  const dataSelect = h(
    'select',
    { id: 'unflow-data' },
    ...FLOW_DATA_TERMS.map((term) => h('option', { value: term }, term)),
  );
  dataSelect.value = String(config.method['dataTerm']);
  const pairSelect = h('select', { id: 'unflow-pair' });
  const [rateBox, rateEl] = metric('unflow-rate', 'learning rate');
  const [pairBox, pairEl] = metric('unflow-pair-numbers', 'this pair: EPE px (zero flow) · fb P / R');
  const line = h('p', { id: 'unflow-metrics', style: 'font-weight:600' }, '–');
  const caption = h('p', { class: 'caption', style: 'max-width:none' });

  const worker = new Worker(new URL('../geometry/flow.worker.ts', import.meta.url), { type: 'module' });
  let firstPicture: (() => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const drawn = new Promise<void>((resolve, reject) => {
    firstPicture = resolve;
    failed = reject;
  });
  const controls = workerControls<ToFlowWorker, FromFlowWorker>({
    shell,
    worker,
    name: 'the flow worker',
    ids: {
      play: 'unflow-train',
      step: 'unflow-step',
      reset: 'unflow-reset',
      status: 'unflow-status',
      steps: 'unflow-step-count',
      loss: 'unflow-loss',
      speed: 'unflow-speed',
      tensors: 'unflow-tensors',
      frameGap: 'unflow-frame-gap',
      chart: 'unflow-curve',
    },
    lossLabel: 'training loss',
    chart: { width: 320, height: 90 },
    reset: () => {
      const steps = Math.round(Number(stepsInput.value));
      const rate = Number(rateInput.value);
      return {
        type: 'reset',
        settings: {
          ...(Number.isFinite(steps) && steps >= 1 ? { steps } : {}),
          ...(Number.isFinite(rate) && rate > 0 ? { learningRate: rate } : {}),
          dataTerm: dataSelect.value as FlowLabSettings['dataTerm'],
        },
      };
    },
    onEvent: (message) => onEvent(message),
    // Before the first picture an error fails the section (the page shows it); after it, the shell does.
    onError: (error) => (failed ? failed(error) : shell.showError(error)),
  });
  const { boxes, send } = controls;

  section.append(
    caption,
    h(
      'div',
      { class: 'controls' },
      controls.play,
      controls.step,
      controls.reset,
      h('label', {}, 'steps ', stepsInput),
      h('label', {}, 'learning rate ', rateInput),
      h('label', {}, 'data term ', dataSelect),
      h('span', { class: 'muted' }, '(applied on Reset)'),
      h('label', {}, 'held-out pair ', pairSelect),
      controls.status,
    ),
    h('div', { class: 'row', style: 'margin-top:8px' }, ...PANELS.map((panel) => f[panel].element)),
    line,
    h(
      'div',
      { class: 'row', style: 'align-items:center' },
      h(
        'div',
        { class: 'metrics' },
        boxes.steps,
        boxes.loss,
        rateBox,
        boxes.speed,
        pairBox,
        boxes.tensors,
        boxes.frameGap,
      ),
      controls.chart,
    ),
  );

  let shown = 0;
  let backend = '';
  const describe = (lab: FlowLabInfo) => {
    caption.textContent = `@genoise/train's '${FLOW_LAB_METHOD}' method as the trainer runs it (its registry defaults; the page sets only the knobs below), in a Web Worker on ${backend}: one PWC-style network gives forward and backward flow, trained on ${lab.poolSize ?? 'fresh'} synthetic ${lab.height}x${lab.width} frame pairs (${lab.scenes === 'corridor' ? `rendered rooms: camera motion and ${lab.movingObjects} moving objects` : 'FlyingChairs-style textured shapes, each under its own motion'}; no ground truth used), ${lab.batchSize} pairs a step, ${lab.dataTerm} data term (${lab.occlusionMask ? 'masked by the forward-backward check' : 'no occlusion mask'}), second-order smoothness (weight ${lab.smoothness}) and forward-backward consistency (${lab.consistency}), Adam at ${lab.learningRate} with warm-up and cosine over ${lab.steps} steps. Every ${every === 1 ? 'step' : `${every} steps`}: the network on ${lab.evalPairs} held-out pair${lab.evalPairs === 1 ? '' : 's'} (the trainer's held-out seed). The fb mask is UnFlow's check |w_f + w_b'|² > ${lab.occlusion.alpha1} (|w_f|² + |w_b'|²) + ${lab.occlusion.alpha2} on the network's own two flows.`;
    pairSelect.replaceChildren(
      ...Array.from({ length: lab.evalPairs }, (_, i) => h('option', { value: i }, `pair ${i + 1}`)),
    );
    shown = Math.min(shown, lab.evalPairs - 1);
    pairSelect.value = String(shown);
    stepsInput.value = String(lab.steps);
    rateInput.value = String(lab.learningRate);
    dataSelect.value = lab.dataTerm;
  };
  const drawView = (view: FlowLabView) => {
    for (const panel of PANELS) paint(f[panel].canvas, view[panel], view.width, view.height);
    f.predicted.note.textContent = `at step ${view.step}; colour wheel, saturated at ${view.scale.toFixed(1)} px`;
    f.truth.note.textContent = `exact, from the renderer; saturated at ${view.scale.toFixed(1)} px`;
    pairEl.textContent = `${view.epe.toFixed(2)} (${view.zeroEpe.toFixed(2)}) · ${percent(view.agreement.precision)} / ${percent(view.agreement.recall)}`;
  };
  function onEvent(message: FromFlowWorker): void {
    switch (message.type) {
      case 'ready':
        backend = describeBackend(message.info) + (message.notice ? ` (${message.notice})` : '');
        describe(message.lab);
        return;
      case 'reset':
        describe(message.lab);
        controls.clear();
        rateEl.textContent = '–';
        return;
      case 'step':
        rateEl.textContent = message.learningRate.toExponential(2);
        return;
      case 'snapshot':
        line.textContent = `step ${message.metrics.step}: ${metricLine(message.metrics)}`;
        drawView(message.view);
        firstPicture?.();
        firstPicture = undefined;
        failed = undefined;
        return;
      case 'view':
        drawView(message.view);
        return;
    }
  }

  pairSelect.addEventListener('change', () => {
    shown = Number(pairSelect.value);
    send({ type: 'show', index: shown });
  });
  controls.start({ settings, every });
  await drawn;
}
