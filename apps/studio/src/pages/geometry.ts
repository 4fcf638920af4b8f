import {
  checkFlowPair,
  DEFAULT_FLOW_CHECK,
  DEFAULT_FLOW_VIEW,
  type FlowCheckSettings,
  flowImage,
  flowPair,
  flowWheelImage,
  maskComparisonRgba,
  maxFlowMagnitude,
  splatBackwardFlow,
} from '../geometry/flow-view';
import {
  DEFAULT_LAB,
  type LabMaps,
  StereoLab,
  type StereoPair,
  syntheticPairs,
} from '../geometry/stereo-lab';
import { colorize, finiteRange, toRgba } from '../lib/colormap';
import { canvasFigure, h, metric, paint } from '../lib/dom';
import { rgbaToRgb } from '../lib/sample-images';
import { nextTask, StepRate } from '../lib/timing';
import { intParam } from '../lib/url-options';
import { mountPage, type Shell } from '../shell/shell';
import { flowLabSection } from './geometry-flow-lab';

const ZOOM = 2;

const figure = (id: string, title: string, caption: string, width: number, height: number) =>
  canvasFigure(id, title, caption, width, height, ZOOM);

/** Resizes the user's picture to exactly `width` x `height` (a rectified pair keeps its rows aligned). */
async function stretch(file: File, width: number, height: number): Promise<Float32Array> {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return rgbaToRgb(context.getImageData(0, 0, width, height).data);
}

async function run(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const settings = {
    ...DEFAULT_LAB,
    seed: intParam(options.params, 'seed', 0, 0, 1_000_000),
    scenes: intParam(options.params, 'scenes', 4, 1, 8),
  };
  const { width, height } = settings;
  let pairs = syntheticPairs(settings);
  const lab = await StereoLab.create(pairs, settings);
  let shown = 0;
  let use: 'truth' | 'prediction' = 'truth';
  let running = false;
  const losses: number[] = [];

  // --- figures
  const f = {
    left: figure('fig-left', 'target (left)', 'the view to explain', width, height),
    right: figure('fig-right', 'source (right)', 'warped into the left view', width, height),
    truth: figure('fig-truth', 'disparity, ground truth', 'exact, from the renderer', width, height),
    prediction: figure(
      'fig-prediction',
      'disparity, network',
      'the depth network, from the left image',
      width,
      height,
    ),
    warped: figure('fig-warped', 'warped source', 'right image sampled at x − d(x)', width, height),
    error: figure('fig-error', 'photometric error', '0.85 (1 − SSIM)/2 + 0.15 L1, per pixel', width, height),
    autoMask: figure('fig-automask', 'auto-mask', 'white: warping beats not warping (kept)', width, height),
    occlusion: figure('fig-occlusion', 'occlusion', 'white: not visible in the right view', width, height),
  };
  const sceneSelect = h('select', { id: 'scene' });
  const refreshScenes = () => {
    sceneSelect.replaceChildren(...pairs.map((p, i) => h('option', { value: i }, p.name)));
    sceneSelect.value = String(shown);
  };
  refreshScenes();
  const truthRadio = h('input', {
    type: 'radio',
    name: 'use',
    value: 'truth',
    id: 'use-truth',
    checked: true,
  });
  const predRadio = h('input', { type: 'radio', name: 'use', value: 'prediction', id: 'use-prediction' });
  const play = h('button', { id: 'train', class: 'primary' }, 'Train');
  const stepButton = h('button', { id: 'step' }, 'Step');
  const reset = h('button', { id: 'reset' }, 'Reset network');
  const leftFile = h('input', { type: 'file', accept: 'image/*', id: 'user-left' });
  const rightFile = h('input', { type: 'file', accept: 'image/*', id: 'user-right' });
  const [stepBox, stepEl] = metric('geo-step', 'steps');
  const [lossBox, lossEl] = metric('geo-loss', 'training loss');
  const [epeBox, epeEl] = metric('geo-epe', 'disparity error, px (network)');
  const [errBox, errEl] = metric('geo-error', 'mean photometric error (shown warp)');
  const [speedBox, speedEl] = metric('geo-speed', 'steps / s');

  main.append(
    h(
      'section',
      { class: 'panel' },
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'pair ', sceneSelect),
        h(
          'span',
          {},
          'warp with ',
          h('label', {}, truthRadio, ' ground truth'),
          ' ',
          h('label', {}, predRadio, ' network prediction'),
        ),
        play,
        stepButton,
        reset,
      ),
      h(
        'div',
        { class: 'controls', style: 'margin-top:8px' },
        h('span', { class: 'muted' }, 'Your own rectified pair:'),
        h('label', {}, 'left ', leftFile),
        h('label', {}, 'right ', rightFile),
      ),
      h(
        'p',
        { class: 'caption', style: 'max-width:none' },
        `${pairs.length} synthetic rooms (${width}x${height}) rendered in the page by @genoise/data, with exact disparity. The network (a small U-Net trained by @genoise/train's stereo method, Monodepth) sees only the left image; its training signal is how well the right image, warped by its disparity, reproduces the left one, plus an edge-aware smoothness.`,
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'row' }, f.left.element, f.right.element, f.truth.element, f.prediction.element),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'section',
        { class: 'panel' },
        h(
          'div',
          { class: 'row' },
          f.warped.element,
          f.error.element,
          f.autoMask.element,
          f.occlusion.element,
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('div', { class: 'metrics' }, stepBox, lossBox, epeBox, errBox, speedBox),
    ),
  );

  const drawMap = (canvas: HTMLCanvasElement, values: Float32Array | undefined, range?: [number, number]) => {
    if (values === undefined) {
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#f1f3f5';
      context.fillRect(0, 0, width, height);
      return;
    }
    const [min, max] = range ?? finiteRange(values);
    paint(canvas, colorize(values, min, max), width, height);
  };

  let drawing: Promise<void> = Promise.resolve();
  const redraw = () => {
    drawing = drawing.then(async () => {
      const pair = pairs[shown]!;
      const maps: LabMaps = await lab.maps(shown, use);
      paint(f.left.canvas, toRgba(pair.left, 3), width, height);
      paint(f.right.canvas, toRgba(pair.right, 3), width, height);
      const dispRange = pair.disparity ? finiteRange(pair.disparity) : finiteRange(maps.prediction);
      drawMap(f.truth.canvas, pair.disparity, dispRange);
      f.truth.note.textContent = pair.disparity
        ? 'exact, from the renderer'
        : 'no ground truth for your pair';
      drawMap(f.prediction.canvas, maps.prediction, dispRange);
      paint(f.warped.canvas, toRgba(maps.warped, 3), width, height);
      f.warped.note.textContent = `right image sampled at x − d(x), d from the ${use === 'truth' && pair.disparity ? 'ground truth' : 'network'}`;
      drawMap(f.error.canvas, maps.error, [0, 0.5]);
      paint(f.autoMask.canvas, toRgba(maps.autoMask, 1), width, height);
      if (pair.occlusion) paint(f.occlusion.canvas, toRgba(pair.occlusion, 1), width, height);
      else drawMap(f.occlusion.canvas, undefined);
      f.occlusion.note.textContent = pair.occlusion
        ? 'white: not visible in the right view'
        : 'unknown for your pair';
      errEl.textContent = maps.meanError.toFixed(4);
      epeEl.textContent = maps.endPointError === undefined ? 'n/a' : maps.endPointError.toFixed(2);
      stepEl.textContent = String(lab.step);
    });
    return drawing;
  };

  const rate = new StepRate();
  const oneStep = async () => {
    const { loss } = await lab.trainStep();
    losses.push(loss);
    lossEl.textContent = loss.toFixed(4);
    const perSecond = rate.tick(performance.now());
    if (perSecond !== undefined) speedEl.textContent = perSecond.toFixed(2);
    await redraw();
  };
  const loop = async () => {
    while (running) {
      try {
        await oneStep();
      } catch (error) {
        running = false;
        shell.showError(error);
      }
      await nextTask(); // let the page paint and take clicks between steps
    }
    play.textContent = 'Train';
    stepButton.disabled = false;
  };

  play.addEventListener('click', () => {
    running = !running;
    play.textContent = running ? 'Pause' : 'Train';
    stepButton.disabled = running;
    rate.clear();
    if (running) void loop();
  });
  stepButton.addEventListener('click', () => void oneStep().catch((e) => shell.showError(e)));
  reset.addEventListener('click', async () => {
    running = false;
    await drawing;
    await lab.reset();
    losses.length = 0;
    lossEl.textContent = '–';
    speedEl.textContent = '–';
    await redraw();
  });
  sceneSelect.addEventListener('change', () => {
    shown = Number(sceneSelect.value);
    void redraw();
  });
  for (const radio of [truthRadio, predRadio]) {
    radio.addEventListener('change', () => {
      use = predRadio.checked ? 'prediction' : 'truth';
      void redraw();
    });
  }
  const useUserPair = async () => {
    const [l, r] = [leftFile.files?.[0], rightFile.files?.[0]];
    if (!l || !r) return;
    const user: StereoPair = {
      name: 'your pair',
      left: await stretch(l, width, height),
      right: await stretch(r, width, height),
      disparity: undefined,
      occlusion: undefined,
    };
    running = false;
    await drawing;
    pairs = [user, ...pairs.filter((p) => p.name !== 'your pair')];
    lab.setPairs(pairs);
    shown = 0;
    refreshScenes();
    predRadio.checked = true;
    use = 'prediction';
    await redraw();
  };
  leftFile.addEventListener('change', () => void useUserPair().catch((e) => shell.showError(e)));
  rightFile.addEventListener('change', () => void useUserPair().catch((e) => shell.showError(e)));

  await redraw();
  await flowView(shell);
  await flowLabSection(shell);
}

/**
 * The optical-flow view: a synthetic frame pair with exact flow (`@genoise/data`'s `syntheticFlow`), the
 * flow as a colour wheel, and UnFlow's forward-backward occlusion check (`@genoise/warp`) against the
 * renderer's occlusion map, with its two tolerances and noise on the flows as sliders.
 */
async function flowView(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const settings = {
    ...DEFAULT_FLOW_VIEW,
    seed: intParam(options.params, 'flowSeed', 0, 0, 1_000_000),
    pairs: intParam(options.params, 'flowPairs', 4, 1, 8),
  };
  const { width, height } = settings;
  let check: FlowCheckSettings = { ...DEFAULT_FLOW_CHECK };
  let shown = 0;
  const cache = new Map<number, { pair: ReturnType<typeof flowPair>; backward: Float32Array }>();
  const pairAt = (i: number) => {
    let entry = cache.get(i);
    if (!entry) {
      const pair = flowPair(settings, i);
      entry = { pair, backward: splatBackwardFlow(pair.flow, pair.depth1, height, width) };
      cache.set(i, entry);
    }
    return entry;
  };

  const f = {
    frame1: figure('flow-frame1', 'frame 1', 'the target', width, height),
    frame2: figure('flow-frame2', 'frame 2', 'the camera and two objects moved', width, height),
    flow: figure('flow-truth', 'flow, ground truth', '', width, height),
    backward: figure(
      'flow-backward',
      'backward flow',
      'frame 2 → 1, splatted from the forward flow',
      width,
      height,
    ),
    mask: figure(
      'flow-fb-mask',
      'forward-backward check',
      'white: the round trip does not come back',
      width,
      height,
    ),
    occlusion: figure(
      'flow-occlusion',
      'occlusion, ground truth',
      'white: not visible in frame 2',
      width,
      height,
    ),
    compare: figure(
      'flow-compare',
      'check vs truth',
      'white: both · orange: check only · blue: missed · faded: leaves the view',
      width,
      height,
    ),
  };
  const wheel = h('canvas', { id: 'flow-wheel', class: 'pixels', 'aria-label': 'flow colour wheel' });
  paint(wheel, await flowWheelImage(48), 48, 48);
  wheel.style.width = '64px';
  wheel.style.height = '64px';
  const pairSelect = h(
    'select',
    { id: 'flow-pair' },
    ...Array.from({ length: settings.pairs }, (_, i) => h('option', { value: i }, `pair ${i + 1}`)),
  );
  const slider = (id: string, min: number, max: number, step: number, value: number) =>
    h('input', { type: 'range', id, min, max, step, value });
  const noise = slider('flow-noise', 0, 2, 0.1, check.noise);
  const alpha1 = slider('flow-alpha1', 0, 0.2, 0.005, check.alpha1);
  const alpha2 = slider('flow-alpha2', 0, 5, 0.1, check.alpha2);
  const noiseText = h('span', {}, check.noise.toFixed(1));
  const alpha1Text = h('span', {}, check.alpha1.toFixed(3));
  const alpha2Text = h('span', {}, check.alpha2.toFixed(1));
  const [precBox, precEl] = metric('flow-precision', 'precision (all pixels)');
  const [recBox, recEl] = metric('flow-recall', 'recall (all pixels)');
  const [inPrecBox, inPrecEl] = metric('flow-inview-precision', 'precision (flow stays in view)');
  const [inRecBox, inRecEl] = metric('flow-inview-recall', 'recall (flow stays in view)');
  const [occBox, occEl] = metric('flow-occluded', 'occluded, % of pixels (truth / check)');
  const [countBox, countEl] = metric('flow-renders', 'checks run');

  main.append(
    h(
      'section',
      { class: 'panel', id: 'flow-view' },
      h('h2', {}, 'Optical flow: the forward-backward occlusion check'),
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'pair ', pairSelect),
        h('label', {}, 'noise on both flows, px ', noise, ' ', noiseText),
        h('label', {}, 'α₁ ', alpha1, ' ', alpha1Text),
        h('label', {}, 'α₂ ', alpha2, ' ', alpha2Text),
      ),
      h(
        'p',
        { class: 'caption', style: 'max-width:none' },
        `${settings.pairs} synthetic frame pairs (${width}x${height}) with exact flow from @genoise/data (camera motion plus two objects moving on their own). UnFlow marks a pixel occluded where the forward flow and the backward flow sampled at its end do not cancel: |w_f + w_b'|² > α₁ (|w_f|² + |w_b'|²) + α₂ (@genoise/warp's forwardBackwardOcclusion). The renderer gives only the forward flow, so the backward flow here is splatted from it (z-buffered by frame 1's depth, holes filled from neighbours), never from the occlusion map. Noise stands in for an estimated flow.`,
      ),
      h(
        'div',
        { class: 'row' },
        f.frame1.element,
        f.frame2.element,
        f.flow.element,
        h('div', { class: 'figure' }, h('h3', {}, 'key'), wheel),
      ),
      h(
        'div',
        { class: 'row', style: 'margin-top:8px' },
        f.backward.element,
        f.mask.element,
        f.occlusion.element,
        f.compare.element,
      ),
      h(
        'div',
        { class: 'metrics', style: 'margin-top:8px' },
        precBox,
        recBox,
        inPrecBox,
        inRecBox,
        occBox,
        countBox,
      ),
    ),
  );

  let renders = 0;
  let generation = 0;
  const percent = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  const redraw = async () => {
    const mine = ++generation;
    const { pair, backward } = pairAt(shown);
    const result = await checkFlowPair(pair, backward, check);
    const scale = maxFlowMagnitude(pair.flow);
    const [forwardRgba, backwardRgba] = await Promise.all([
      flowImage(result.forward, height, width, scale),
      flowImage(result.backward, height, width, scale),
    ]);
    if (mine !== generation) return;
    paint(f.frame1.canvas, toRgba(pair.frame1, 3), width, height);
    paint(f.frame2.canvas, toRgba(pair.frame2, 3), width, height);
    paint(f.flow.canvas, forwardRgba, width, height);
    f.flow.note.textContent = `colour wheel, saturated at ${scale.toFixed(1)} px`;
    paint(f.backward.canvas, backwardRgba, width, height);
    paint(f.mask.canvas, toRgba(result.mask, 1), width, height);
    paint(f.occlusion.canvas, toRgba(pair.occlusion, 1), width, height);
    paint(f.compare.canvas, maskComparisonRgba(result.mask, pair.occlusion, result.inView), width, height);
    precEl.textContent = percent(result.agreement.precision);
    recEl.textContent = percent(result.agreement.recall);
    inPrecEl.textContent = percent(result.inViewAgreement?.precision ?? Number.NaN);
    inRecEl.textContent = percent(result.inViewAgreement?.recall ?? Number.NaN);
    const { truePositives: tp, falsePositives: fp, falseNegatives: fn, count } = result.agreement;
    occEl.textContent = `${((100 * (tp + fn)) / count).toFixed(1)} / ${((100 * (tp + fp)) / count).toFixed(1)}`;
    renders++;
    countEl.textContent = String(renders);
  };
  const update = () => {
    check = {
      ...check,
      noise: Number(noise.value),
      alpha1: Number(alpha1.value),
      alpha2: Number(alpha2.value),
    };
    noiseText.textContent = check.noise.toFixed(1);
    alpha1Text.textContent = check.alpha1.toFixed(3);
    alpha2Text.textContent = check.alpha2.toFixed(1);
    void redraw().catch((e) => shell.showError(e));
  };
  for (const input of [noise, alpha1, alpha2]) input.addEventListener('input', update);
  pairSelect.addEventListener('change', () => {
    shown = Number(pairSelect.value);
    void redraw().catch((e) => shell.showError(e));
  });
  await redraw();
}

void mountPage(
  'geometry',
  'Self-supervised depth from a stereo pair: warp one view into the other by a disparity, and the photometric error says how wrong the disparity is. Train the network and watch its disparity approach the ground truth. Below, optical flow and the forward-backward occlusion check, then UnFlow trained live: its flow and its own occlusion mask on a held-out pair.',
  async (shell) => run(shell),
);
