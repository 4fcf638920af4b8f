// The geometry page's live UnFlow section: @genoise/train's unflow trained in the page (FlowLab), with
// the network's flow and its forward-backward occlusion mask on a held-out pair every few steps.
import {
  DEFAULT_FLOW_LAB,
  FLOW_DATA_TERMS,
  FLOW_LAB_METHOD,
  FlowLab,
  type FlowLabSettings,
  hasFlowMethod,
  metricLine,
} from '../geometry/flow-lab';
import { linePath } from '../lib/charts';
import { h, paint, pixelCanvas } from '../lib/dom';
import { choiceParam, intParam, numberParam } from '../lib/url-options';
import type { Shell } from '../shell/shell';

const ZOOM = 2;
const SVG = 'http://www.w3.org/2000/svg';

function figure(id: string, title: string, caption: string, width: number, height: number) {
  const canvas = pixelCanvas(width, height, ZOOM, title);
  canvas.id = id;
  const note = h('span', { class: 'caption' }, caption);
  const element = h('div', { class: 'figure' }, h('h3', {}, title), canvas, note);
  element.style.maxWidth = `${Math.max(width * ZOOM, 120)}px`;
  return { canvas, note, element };
}

function metric(id: string, label: string, value = '–'): [HTMLElement, HTMLElement] {
  const el = h('div', { class: 'metric', id }, value);
  return [h('div', {}, el, h('div', { class: 'metric-label' }, label)), el];
}

const percent = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : 'n/a');

/**
 * URL options: `flowSteps`, `flowLr`, `flowData` (census | photometric) and `flowBatch` (the registry's
 * defaults when absent), `flowPool` (training pairs), `flowEvalPairs` (held-out pairs), `flowEvery`
 * (steps between pictures), `flowTrainSeed`.
 */
export async function flowLabSection(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const { params } = options;
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
  let settings: FlowLabSettings = {
    ...DEFAULT_FLOW_LAB,
    seed: intParam(params, 'flowTrainSeed', 0, 0, 1_000_000),
    steps: numberParam(params, 'flowSteps', undefined, 1, 1_000_000),
    learningRate: numberParam(params, 'flowLr', undefined, 1e-6, 1),
    dataTerm: choiceParam(params, 'flowData', FLOW_DATA_TERMS, undefined),
    batchSize: numberParam(params, 'flowBatch', undefined, 1, 64),
    poolSize: intParam(params, 'flowPool', DEFAULT_FLOW_LAB.poolSize, 1, 4096),
    evalPairs: intParam(params, 'flowEvalPairs', DEFAULT_FLOW_LAB.evalPairs, 1, 16),
  };
  if (settings.steps !== undefined) settings = { ...settings, steps: Math.round(settings.steps) };
  if (settings.batchSize !== undefined) settings = { ...settings, batchSize: Math.round(settings.batchSize) };
  const every = intParam(params, 'flowEvery', 10, 1, 10_000);
  let lab = await FlowLab.create(settings);
  const { height, width } = lab.options; // the knobs never change the frame size

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
  const play = h('button', { id: 'unflow-train', class: 'primary' }, 'Train');
  const stepButton = h('button', { id: 'unflow-step' }, 'Step');
  const resetButton = h('button', { id: 'unflow-reset' }, 'Reset');
  const stepsInput = h('input', {
    type: 'number',
    id: 'unflow-steps',
    min: 1,
    max: 1_000_000,
    value: lab.totalSteps,
    style: 'width:6em',
  });
  const rateInput = h('input', {
    type: 'text',
    id: 'unflow-lr',
    value: String(lab.config.learningRate),
    style: 'width:6em',
  });
  const dataSelect = h(
    'select',
    { id: 'unflow-data' },
    ...FLOW_DATA_TERMS.map((term) => h('option', { value: term }, term)),
  );
  dataSelect.value = String(lab.options.dataTerm);
  const pairSelect = h('select', { id: 'unflow-pair' });
  const [stepBox, stepEl] = metric('unflow-step-count', 'steps', '0');
  const [lossBox, lossEl] = metric('unflow-loss', 'training loss');
  const [rateBox, rateEl] = metric('unflow-rate', 'learning rate');
  const [speedBox, speedEl] = metric('unflow-speed', 'steps / s');
  const [pairBox, pairEl] = metric('unflow-pair-numbers', 'this pair: EPE px (zero flow) · fb P / R');
  const line = h('p', { class: 'metric-line', id: 'unflow-metrics', style: 'font-weight:600' }, '–');
  const caption = h('p', { class: 'caption', style: 'max-width:none' });
  const lossPath = document.createElementNS(SVG, 'path');
  lossPath.setAttribute('fill', 'none');
  lossPath.setAttribute('stroke', '#d9480f');
  lossPath.setAttribute('stroke-width', '1.5');
  const lossSvg = document.createElementNS(SVG, 'svg');
  lossSvg.setAttribute('width', '320');
  lossSvg.setAttribute('height', '90');
  lossSvg.setAttribute('id', 'unflow-curve');
  lossSvg.append(lossPath);

  section.append(
    caption,
    h(
      'div',
      { class: 'controls' },
      play,
      stepButton,
      resetButton,
      h('label', {}, 'steps ', stepsInput),
      h('label', {}, 'learning rate ', rateInput),
      h('label', {}, 'data term ', dataSelect),
      h('span', { class: 'muted' }, '(applied on Reset)'),
      h('label', {}, 'held-out pair ', pairSelect),
    ),
    h('div', { class: 'row', style: 'margin-top:8px' }, ...Object.values(f).map((x) => x.element)),
    line,
    h(
      'div',
      { class: 'row', style: 'align-items:center' },
      h('div', { class: 'metrics' }, stepBox, lossBox, rateBox, speedBox, pairBox),
      lossSvg,
    ),
  );

  let shown = 0;
  const losses: number[] = [];
  let times: number[] = [];
  const describe = () => {
    const o = lab.options;
    caption.textContent = `@genoise/train's '${FLOW_LAB_METHOD}' method as the trainer runs it (its registry defaults; the page sets only the knobs below): one PWC-style network gives forward and backward flow, trained on ${lab.data.size ?? 'fresh'} synthetic ${o.height}x${o.width} frame pairs (camera motion and ${o.movingObjects} moving objects, no ground truth used), ${lab.config.batchSize} pairs a step, ${o.dataTerm} data term (${o.occlusionMask ? 'masked by the forward-backward check' : 'no occlusion mask'}), second-order smoothness (weight ${o.smoothness}) and forward-backward consistency (${o.consistency}), Adam at ${lab.config.learningRate} with warm-up and cosine over ${lab.totalSteps} steps. Every ${every === 1 ? 'step' : `${every} steps`}: the network on ${lab.evalPairs} held-out pair${lab.evalPairs === 1 ? '' : 's'} (the trainer's held-out seed). The fb mask is UnFlow's check |w_f + w_b'|² > ${o.occlusion.alpha1} (|w_f|² + |w_b'|²) + ${o.occlusion.alpha2} on the network's own two flows.`;
    pairSelect.replaceChildren(
      ...Array.from({ length: lab.evalPairs }, (_, i) => h('option', { value: i }, `pair ${i + 1}`)),
    );
    shown = Math.min(shown, lab.evalPairs - 1);
    pairSelect.value = String(shown);
  };
  describe();

  /** Runs between steps (in the lab's queue): the metric line and the shown pair's panels. */
  const draw = async () => {
    const [metrics, view] = [await lab.evaluate(), await lab.view(shown)];
    line.textContent = `step ${metrics.step}: ${metricLine(metrics)}`;
    drawView(view);
  };
  const drawView = (view: Awaited<ReturnType<FlowLab['view']>>) => {
    for (const panel of ['frame1', 'predicted', 'truth', 'mask', 'occlusion', 'compare'] as const)
      paint(f[panel].canvas, view[panel], view.width, view.height);
    f.predicted.note.textContent = `at step ${view.step}; colour wheel, saturated at ${view.scale.toFixed(1)} px`;
    f.truth.note.textContent = `exact, from the renderer; saturated at ${view.scale.toFixed(1)} px`;
    pairEl.textContent = `${view.epe.toFixed(2)} (${view.zeroEpe.toFixed(2)}) · ${percent(view.agreement.precision)} / ${percent(view.agreement.recall)}`;
  };
  const buttons = () => {
    const running = lab.running;
    play.textContent = running ? 'Pause' : lab.finished ? 'Done' : 'Train';
    play.disabled = !running && lab.finished;
    stepButton.disabled = running || lab.finished;
  };
  const showStep = (step: { step: number; loss: number; learningRate: number }) => {
    losses.push(step.loss);
    stepEl.textContent = String(step.step);
    lossEl.textContent = step.loss.toFixed(4);
    rateEl.textContent = step.learningRate.toExponential(2);
    lossPath.setAttribute('d', linePath(losses, 320, 90, 0.6));
    times.push(performance.now());
    if (times.length > 11) times = times.slice(-11);
    if (times.length > 1)
      speedEl.textContent = (((times.length - 1) * 1000) / (times.at(-1)! - times[0]!)).toFixed(2);
  };

  play.addEventListener('click', () => {
    if (lab.running) {
      void lab.pause().then(buttons);
      return;
    }
    times = [];
    const running = lab.play(async (step) => {
      showStep(step);
      if (step.step % every === 0 || lab.finished) await draw();
    });
    buttons();
    running
      .catch((error) => shell.showError(error))
      .finally(() => {
        buttons();
      });
  });
  stepButton.addEventListener('click', () => {
    stepButton.disabled = true;
    lab
      .trainStep()
      .then(async (step) => {
        showStep(step);
        await lab.exclusive(draw);
      })
      .catch((error) => shell.showError(error))
      .finally(buttons);
  });
  pairSelect.addEventListener('change', () => {
    shown = Number(pairSelect.value);
    void lab.exclusive(async () => drawView(await lab.view(shown))).catch((error) => shell.showError(error));
  });
  resetButton.addEventListener('click', async () => {
    try {
      resetButton.disabled = true;
      await lab.pause();
      const rate = Number(rateInput.value);
      const next: FlowLabSettings = {
        ...settings,
        steps: Math.max(1, Math.round(Number(stepsInput.value) || lab.totalSteps)),
        learningRate: Number.isFinite(rate) && rate > 0 ? rate : lab.config.learningRate,
        dataTerm: dataSelect.value as FlowLabSettings['dataTerm'],
      };
      const same =
        next.steps === lab.totalSteps &&
        next.learningRate === lab.config.learningRate &&
        next.dataTerm === lab.options.dataTerm;
      if (same) await lab.reset();
      else {
        const fresh = await FlowLab.create(next); // an invalid knob throws here and the old run stays
        await lab.exclusive(() => undefined);
        lab.dispose();
        lab = fresh;
        settings = next;
        describe();
      }
      losses.length = 0;
      lossPath.setAttribute('d', '');
      stepEl.textContent = '0';
      lossEl.textContent = '–';
      rateEl.textContent = '–';
      speedEl.textContent = '–';
      await lab.exclusive(draw);
    } catch (error) {
      shell.showError(error);
    } finally {
      resetButton.disabled = false;
      stepsInput.value = String(lab.totalSteps);
      rateInput.value = String(lab.config.learningRate);
      dataSelect.value = String(lab.options.dataTerm);
      buttons();
    }
  });
  await lab.exclusive(draw);
  buttons();
}
