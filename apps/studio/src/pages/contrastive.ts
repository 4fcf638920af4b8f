import { CLASS_COLORS, fitPoints, nearestPoint } from '../lib/charts';
import { toRgba } from '../lib/colormap';
import { h, metric, paint, pixelCanvas } from '../lib/dom';
import {
  FASHION_CLASS_NAMES,
  FASHION_SUBSET_URL,
  type FashionSubset,
  loadFashionSubset,
} from '../lib/fashion-data';
import { intParam } from '../lib/url-options';
import { workerControls } from '../shell/page-controls';
import { mountPage, type Shell } from '../shell/shell';
import type { Evaluation } from '../train/contrastive-session';
import type { FromWorker, ToWorker } from '../train/protocol';

const SIZE = 380;

function thumb(data: FashionSubset, split: 'train' | 'test', index: number, zoom = 2): HTMLCanvasElement {
  const per = data.side * data.side;
  const pixels = data[split].pixels.subarray(index * per, (index + 1) * per);
  const canvas = pixelCanvas(data.side, data.side, zoom, FASHION_CLASS_NAMES[data[split].labels[index]!]);
  paint(
    canvas,
    toRgba(
      Float32Array.from(pixels, (v) => v / 255),
      1,
    ),
    data.side,
    data.side,
  );
  return canvas;
}

async function run(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const params = options.params;
  const settings = {
    // The worker checks it against the registry (an unknown name is an error naming the choices).
    ...(params.has('method') ? { method: params.get('method')! } : {}),
    seed: intParam(params, 'seed', 0, 0, 1_000_000),
    batchSize: intParam(params, 'batch', 64, 4, 256),
    bankSize: intParam(params, 'bank', 2000, 20, 2000),
    evalSize: intParam(params, 'eval', 500, 10, 500),
    k: intParam(params, 'k', 20, 1, 200),
  };
  let evalEvery = intParam(params, 'evalEvery', 25, 0, 10_000);
  const data = await loadFashionSubset();

  // --- controls and read-outs
  const worker = new Worker(new URL('../train/train.worker.ts', import.meta.url), { type: 'module' });
  // Filled from @genoise/train's registry when the worker is ready: every representation method, its
  // one-line summary as the label.
  const methodSelect = h('select', { id: 'method', disabled: true });
  const controls = workerControls<ToWorker, FromWorker>({
    shell,
    worker,
    name: 'the training worker',
    ids: {
      play: 'play',
      step: 'step',
      reset: 'reset',
      status: 'status',
      steps: 'step-count',
      loss: 'loss',
      speed: 'steps-per-second',
      tensors: 'tensors',
      frameGap: 'frame-gap',
      chart: 'loss-chart',
    },
    chart: { width: 420, height: 150 },
    reset: () => ({ type: 'reset', settings: { method: methodSelect.value } }),
    onEvent: (message) => onEvent(message),
  });
  const { send, status } = controls;
  const evaluate = h('button', { id: 'evaluate', disabled: true }, 'Evaluate now');
  const save = h('button', { id: 'save', disabled: true }, 'Save encoder');
  const load = h('button', { id: 'load', disabled: true }, 'Load encoder');
  const evalInput = h('input', { type: 'number', id: 'eval-every', value: evalEvery, min: 0 });
  const [knnBox, knnEl] = metric('knn', 'kNN top-1 (held-out)');
  controls.chart.classList.add('chart');
  const embedding = h('canvas', { id: 'embedding', width: SIZE, height: SIZE, style: 'cursor:crosshair' });
  const embeddingCaption = h(
    'p',
    { class: 'caption', id: 'embedding-caption' },
    'Waiting for the first evaluation…',
  );
  const retrieval = h(
    'div',
    { id: 'retrieval', class: 'thumbs' },
    h('span', { class: 'muted' }, 'Click a point to see its nearest neighbours in the train bank.'),
  );
  const legend = h(
    'div',
    { class: 'legend' },
    ...FASHION_CLASS_NAMES.map((name, c) => h('span', { style: `--c:${CLASS_COLORS[c]}` }, name)),
  );

  main.append(
    h(
      'section',
      { class: 'panel' },
      h(
        'div',
        { class: 'controls' },
        h('label', {}, 'method ', methodSelect),
        controls.play,
        controls.step,
        controls.reset,
        evaluate,
        h('label', {}, 'evaluate every ', evalInput, ' steps'),
        save,
        load,
        status,
      ),
      h(
        'p',
        { class: 'caption', style: 'max-width:none' },
        `Fashion-MNIST, ${data.train.labels.length} train + ${data.test.labels.length} test images shipped with the page; batch ${settings.batchSize} of 28x28, two augmented views each; small convnet encoder, Adam with warm-up and cosine decay. Training runs in a Web Worker.`,
      ),
    ),
    h(
      'div',
      { class: 'row' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Training'),
        h('div', { class: 'metrics' }, controls.boxes.steps, controls.boxes.loss, controls.boxes.speed),
        controls.chart,
        h(
          'div',
          { class: 'metrics', style: 'margin-top:8px' },
          knnBox,
          controls.boxes.tensors,
          controls.boxes.frameGap,
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Held-out embedding (PCA of encoder features)'),
        embedding,
        legend,
        embeddingCaption,
      ),
      h(
        'section',
        { class: 'panel', style: 'max-width:320px' },
        h('h2', {}, 'Nearest neighbours'),
        retrieval,
      ),
    ),
  );

  // --- state from the worker
  let current: { evaluation: Evaluation; pixels: Float32Array } | undefined;
  let selected = -1;

  const drawEmbedding = () => {
    const context = embedding.getContext('2d')!;
    context.clearRect(0, 0, SIZE, SIZE);
    context.fillStyle = '#fff';
    context.fillRect(0, 0, SIZE, SIZE);
    if (!current) return;
    const { evaluation, pixels } = current;
    for (let i = 0; i < evaluation.labels.length; i++) {
      context.fillStyle = CLASS_COLORS[evaluation.labels[i]!]!;
      context.globalAlpha = 0.8;
      context.beginPath();
      context.arc(pixels[2 * i]!, pixels[2 * i + 1]!, 3, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
    if (selected >= 0) {
      context.strokeStyle = '#000';
      context.lineWidth = 2;
      context.beginPath();
      context.arc(pixels[2 * selected]!, pixels[2 * selected + 1]!, 7, 0, 2 * Math.PI);
      context.stroke();
    }
  };

  function onEvent(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        shell.showBackend(message);
        methodSelect.replaceChildren(
          ...message.methods.map(({ name, summary }) =>
            h('option', { value: name, title: summary }, summary),
          ),
        );
        methodSelect.value = message.settings.method;
        for (const b of [methodSelect, evaluate, save, load]) b.disabled = false;
        break;
      case 'evaluation':
        current = { evaluation: message, pixels: fitPoints(message.points, SIZE) };
        knnEl.textContent = `${(message.knnTop1 * 100).toFixed(1)}%`;
        embeddingCaption.textContent = `${message.labels.length} held-out images at step ${message.step}; ${message.milliseconds.toFixed(0)} ms to embed ${settings.bankSize + settings.evalSize} images, kNN and PCA.`;
        drawEmbedding();
        if (selected >= 0) send({ type: 'neighbours', query: selected, k: 8 });
        break;
      case 'neighbours': {
        const queryIndex = current!.evaluation.evalIndices[message.query]!;
        const queryLabel = data.test.labels[queryIndex]!;
        const hits = message.trainIndices.filter((i) => data.train.labels[i] === queryLabel).length;
        retrieval.replaceChildren(
          h(
            'div',
            { class: 'figure' },
            thumb(data, 'test', queryIndex, 3),
            h('span', { class: 'caption' }, `query: ${FASHION_CLASS_NAMES[queryLabel]}`),
          ),
          h(
            'div',
            { class: 'caption', style: 'width:100%', id: 'retrieval-hits' },
            `${hits} of ${message.trainIndices.length} neighbours share its class`,
          ),
          ...message.trainIndices.map((i, rank) => {
            const canvas = thumb(data, 'train', i, 2);
            canvas.style.border = `2px solid ${data.train.labels[i] === queryLabel ? '#2b8a3e' : '#e03131'}`;
            canvas.title = `${FASHION_CLASS_NAMES[data.train.labels[i]!]} · cosine ${message.scores[rank]!.toFixed(3)}`;
            return canvas;
          }),
        );
        break;
      }
      case 'reset':
        controls.clear();
        status.textContent = `reset (${message.settings.method}, seed ${message.settings.seed})`;
        break;
      case 'saved':
        status.textContent = `saved the encoder at step ${message.step} to ${message.url}`;
        break;
      case 'loaded':
        status.textContent = `loaded the encoder saved at step ${message.savedAtStep ?? '?'}`;
        break;
    }
  }

  methodSelect.addEventListener('change', () =>
    send({ type: 'reset', settings: { method: methodSelect.value } }),
  );
  evaluate.addEventListener('click', () => send({ type: 'evaluate' }));
  evalInput.addEventListener('change', () => {
    evalEvery = Math.max(0, Math.floor(Number(evalInput.value)));
    send({ type: 'setEvalEvery', evalEvery });
  });
  const storeUrl = 'indexeddb://genoise-studio-encoder';
  save.addEventListener('click', () => send({ type: 'save', url: storeUrl }));
  load.addEventListener('click', () => send({ type: 'load', url: storeUrl }));
  embedding.addEventListener('click', (event) => {
    if (!current) return;
    const box = embedding.getBoundingClientRect();
    selected = nearestPoint(current.pixels, event.clientX - box.left, event.clientY - box.top);
    drawEmbedding();
    if (selected >= 0) send({ type: 'neighbours', query: selected, k: 8 });
  });

  controls.start({
    dataUrl: new URL(FASHION_SUBSET_URL, location.href).href,
    settings,
    evalEvery,
  });
}

void mountPage(
  'contrastive',
  'Contrastive learning, live: two views of each image are pulled together and pushed away from the rest. Watch the held-out classes separate in the embedding and the kNN accuracy rise.',
  async (shell) => run(shell),
  { mainThreadBackend: false },
);
