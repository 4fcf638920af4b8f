import { createKey, foldIn, type Key, randintValues } from '@genoise/core';
import { syntheticObjects } from '@genoise/data';
import type { Corruption, JigsawPermutationSet } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import { toRgba } from '../lib/colormap';
import { h, lossChart, metric, paint, pixelCanvas } from '../lib/dom';
import { FASHION_CLASS_NAMES, type FashionSubset, loadFashionSubset } from '../lib/fashion-data';
import { fashionSample, type SampleImage, sceneSample } from '../lib/sample-images';
import { nextTask, StepRate } from '../lib/timing';
import { intParam } from '../lib/url-options';
import {
  binColours,
  CHROMA_LIGHTNESS,
  type ColorizationView,
  colorizationView,
  denoisingView,
  INPAINTING_OVERLAP,
  inpaintingView,
  jigsawView,
  type Picture,
  pagePermutations,
  relativeLocationView,
  rotationView,
} from '../pretext/pretext-views';
import { hasRotationMethod, ROTATION_LAB_METHOD, RotationLab } from '../pretext/rotation-lab';
import { mountPage, type Shell } from '../shell/shell';

/** Display zoom of the 28 x 28 images. */
const ZOOM = 3;
/** Side of the colour scenes colorization works on. */
const SCENE_SIDE = 48;
/** The task's index folded into the page key, so each task draws from its own key. */
const TASKS = ['rotation', 'jigsaw', 'relative-location', 'inpainting', 'denoising', 'colorization'] as const;

/** A canvas showing `picture` `zoom` times larger, pixels crisp, with an optional overlay drawn at that scale. */
function drawPicture(
  canvas: HTMLCanvasElement,
  picture: Picture,
  zoom: number,
  overlay?: (context: CanvasRenderingContext2D) => void,
): void {
  const { width, height } = picture;
  const source = document.createElement('canvas');
  paint(source, toRgba(picture.values, picture.channels), width, height);
  canvas.width = width * zoom;
  canvas.height = height * zoom;
  canvas.style.width = `${width * zoom}px`;
  canvas.style.height = `${height * zoom}px`;
  // A figure is as wide as its picture (captions wrap under it), so a panel's figures sit in one row.
  if (canvas.parentElement?.classList.contains('figure'))
    canvas.parentElement.style.maxWidth = `${Math.max(width * zoom, 96)}px`;
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.drawImage(source, 0, 0, width * zoom, height * zoom);
  overlay?.(context);
}

function figure(title: string, caption = '', id?: string) {
  const canvas = h('canvas', { class: 'pixels', ...(id ? { id } : {}), 'aria-label': title });
  const note = h('span', { class: 'caption' }, caption);
  return { canvas, note, element: h('div', { class: 'figure' }, h('h3', {}, title), canvas, note) };
}

function taskPanel(task: (typeof TASKS)[number], title: string, blurb: string, ...children: Node[]) {
  return h(
    'section',
    { class: 'panel', 'data-task': task, style: 'flex:1 1 360px' },
    h('h2', {}, title),
    h('p', { class: 'caption', style: 'max-width:none;margin:0 0 8px' }, blurb),
    ...children,
  );
}

function box(
  context: CanvasRenderingContext2D,
  y: number,
  x: number,
  size: number,
  zoom: number,
  colour: string,
) {
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.strokeRect(x * zoom + 1, y * zoom + 1, size * zoom - 2, size * zoom - 2);
}

const byteColour = (rgb: Float32Array, i: number) =>
  `rgb(${[0, 1, 2].map((c) => Math.round(255 * rgb[3 * i + c]!)).join(',')})`;

async function run(shell: Shell): Promise<void> {
  const { main, options } = shell;
  const params = options.params;
  let seed = intParam(params, 'seed', 0, 0, 1_000_000);
  const data: FashionSubset = await loadFashionSubset();
  const permutations: JigsawPermutationSet = pagePermutations();
  const bins = await binColours();

  // --- the images: one test image per Fashion-MNIST class, and synthetic colour scenes for colorization
  const fashion: SampleImage[] = FASHION_CLASS_NAMES.map((name, c) =>
    fashionSample(data.test.pixels, data.test.labels.indexOf(c), data.side, name),
  );
  // Colour images where colour carries meaning (the colorization method's default data): rendered
  // objects whose class fixes shape, pattern and hue; then two textured rooms.
  const objects = syntheticObjects(createKey(0), { count: 6, size: SCENE_SIDE });
  const objectPixels = SCENE_SIDE * SCENE_SIDE * 3;
  const objectImages = objects.images([0, 1, 2, 3, 4, 5]);
  const objectValues = (await objectImages.data()) as Float32Array;
  objectImages.dispose();
  const scenes: SampleImage[] = [
    ...Array.from(objects.labels!.slice(0, 6), (label, i) => ({
      name: objects.classNames![label]!,
      height: SCENE_SIDE,
      width: SCENE_SIDE,
      channels: 3 as const,
      values: objectValues.slice(i * objectPixels, (i + 1) * objectPixels),
    })),
    ...[1, 7].map((s) => sceneSample(s, SCENE_SIDE)),
  ];
  let image = fashion[intParam(params, 'image', 0, 0, fashion.length - 1)]!;
  let scene = scenes[0]!;
  let pixel = { y: SCENE_SIDE / 2, x: SCENE_SIDE / 2 };

  const thumbs = (
    samples: SampleImage[],
    selected: () => SampleImage,
    pick: (s: SampleImage) => void,
    id: string,
  ) => {
    const row = h('div', { class: 'thumbs', id });
    const draw = () =>
      row.replaceChildren(
        ...samples.map((sample) => {
          const c = pixelCanvas(sample.width, sample.height, 48 / sample.width, sample.name);
          c.title = sample.name;
          c.classList.toggle('selected', sample === selected());
          paint(c, toRgba(sample.values, sample.channels), sample.width, sample.height);
          c.addEventListener('click', () => {
            pick(sample);
            draw();
          });
          return c;
        }),
      );
    draw();
    return row;
  };

  // --- key controls
  const seedInput = h('input', { type: 'number', id: 'seed', value: seed, min: 0 });
  const keyText = h('span', { id: 'key-text', class: 'muted' });
  let jumps = 0;
  const setSeed = (value: number) => {
    seed = Math.max(0, Math.floor(value));
    seedInput.value = String(seed);
    void redraw();
  };
  seedInput.addEventListener('change', () => setSeed(Number(seedInput.value)));
  const renderCount = h('span', { id: 'render-count', class: 'muted' }, '0');
  main.append(
    h(
      'div',
      { class: 'row' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Image (Fashion-MNIST, held-out)'),
        thumbs(
          fashion,
          () => image,
          (s) => {
            image = s;
            void redraw();
          },
          'fashion-thumbs',
        ),
        h('h2', { style: 'margin-top:10px' }, 'Colour image (colorization)'),
        thumbs(
          scenes,
          () => scene,
          (s) => {
            scene = s;
            void redraw();
          },
          'scene-thumbs',
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Key'),
        h(
          'div',
          { class: 'controls' },
          h('label', {}, 'seed ', seedInput),
          h('button', { id: 'seed-prev', onclick: () => setSeed(seed - 1) }, '−'),
          h('button', { id: 'seed-next', onclick: () => setSeed(seed + 1) }, '+'),
          h(
            'button',
            {
              id: 'resample',
              class: 'primary',
              // An unrelated seed drawn from a key (the current seed folded with a counter): replayable.
              onclick: () => setSeed(randintValues(foldIn(createKey(seed), ++jumps), 1, 0, 100_000)[0]!),
            },
            'Resample',
          ),
        ),
        h(
          'p',
          { class: 'caption', style: 'max-width:340px' },
          'Every task is a pure function (key, images) → { inputs, targets } from @genoise/pretext; task i draws from foldIn(createKey(seed), i), so the same seed shows the same tasks on every backend. ',
          keyText,
          ' Renders: ',
          renderCount,
        ),
      ),
    ),
  );

  // --- rotation
  const rot = [0, 1, 2, 3].map((k) => figure(`${k * 90}°`, `label ${k}`, `rot-${k}`));
  const rotPredictions = rot.map((_, k) => h('span', { class: 'caption', id: `rot-pred-${k}` }, ''));
  rot.forEach((f, k) => {
    f.element.append(rotPredictions[k]!);
  });
  // --- jigsaw
  const jigImage = figure('tiles in the image', '', 'jig-image');
  const jigShuffled = figure('shuffled: the input', '', 'jig-shuffled');
  const jigPlaced = figure(
    'identity permutation',
    'the same tiles back in place: gaps and jitter stay',
    'jig-placed',
  );
  const jigText = h('p', { class: 'caption', id: 'jig-label', style: 'max-width:none' });
  // --- relative location
  const relImage = figure('patches in the image', '', 'rel-image');
  const relCentre = figure('centre', '', 'rel-centre');
  const relNeighbour = figure('neighbour', '', 'rel-neighbour');
  const relClass = figure('class', '', 'rel-class');
  // --- inpainting
  const regionSelect = h(
    'select',
    { id: 'inpaint-region' },
    h('option', { value: 'central' }, 'central'),
    h('option', { value: 'random' }, 'random blobs'),
  );
  regionSelect.addEventListener('change', () => void redraw());
  const inInput = figure('input', 'the hole filled with the mean', 'inpaint-input');
  const inHole = figure('hole', '', 'inpaint-hole');
  const inWeights = figure('loss weights', '', 'inpaint-weights');
  const inTarget = figure('target', 'the clean image', 'inpaint-target');
  // --- denoising
  const corruptionSelect = h(
    'select',
    { id: 'corruption' },
    h('option', { value: 'masking' }, 'masking'),
    h('option', { value: 'gaussian' }, 'Gaussian'),
    h('option', { value: 'salt-and-pepper' }, 'salt and pepper'),
  );
  const levelInput = h('input', { type: 'range', id: 'level', min: 0, max: 1, step: 0.05, value: 0.25 });
  const levelText = h('span', { id: 'level-text' }, '0.25');
  corruptionSelect.addEventListener('change', () => void redraw());
  levelInput.addEventListener('input', () => {
    levelText.textContent = Number(levelInput.value).toFixed(2);
    void redraw();
  });
  const deInput = figure('input', 'corrupted', 'denoise-input');
  const deMask = figure('corrupted', '', 'denoise-mask');
  const deTarget = figure('target', 'the clean image, not the input', 'denoise-target');
  // --- colorization
  const coImage = figure('colour image', 'click a pixel', 'color-image');
  const coL = figure('L / 100 (the input)', '', 'color-l');
  const coA = figure(`a (at L ${CHROMA_LIGHTNESS})`, 'green − … + red', 'color-a');
  const coB = figure(`b (at L ${CHROMA_LIGHTNESS})`, 'blue − … + yellow', 'color-b');
  const coAb = figure(`ab (at L ${CHROMA_LIGHTNESS})`, 'what the network predicts', 'color-ab');
  const binCanvas = h('canvas', { id: 'color-bins', class: 'chart', 'aria-label': 'ab bins' });
  const binText = h('p', { class: 'caption', id: 'color-target', style: 'max-width:320px' });

  // --- live rotation training (beside the rotation task)
  const trainPanel = h(
    'section',
    { class: 'panel', id: 'rotation-training', style: 'flex:1 1 420px' },
    h('h2', {}, 'Live training: rotation'),
  );
  main.append(
    h(
      'div',
      { class: 'row' },
      taskPanel(
        'rotation',
        'Rotation (RotNet)',
        'All four quarter turns of each image in one batch; the label is the number of turns. Under each: what the live network below answers.',
        h('div', { class: 'row' }, ...rot.map((f) => f.element)),
      ),
      trainPanel,
    ),
    h(
      'div',
      { class: 'row' },
      taskPanel(
        'jigsaw',
        'Jigsaw',
        `3x3 cells of 9 px (the image cut to 27 x 27), one 7 px tile per cell at a random offset (gap and jitter), each tile standardised; shuffled by one of ${permutations.permutations.length} permutations (greedy, maximal mean Hamming distance ${permutations.meanDistance.toFixed(2)}, min ${permutations.minDistance}).`,
        h('div', { class: 'row' }, jigImage.element, jigShuffled.element, jigPlaced.element),
        jigText,
      ),
      taskPanel(
        'relative-location',
        'Relative location',
        'A centre patch and one of its 8 neighbours (7 px patches, 2 px gap, up to 1 px jitter; down-and-up-sampled with p 0.5); the class is where the neighbour sits.',
        h(
          'div',
          { class: 'row' },
          relImage.element,
          relCentre.element,
          relNeighbour.element,
          relClass.element,
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      taskPanel(
        'inpainting',
        'Inpainting (context encoder)',
        `Cut a hole, fill it with the mean, predict the missing pixels; the ${INPAINTING_OVERLAP} px overlap band around a central hole weighs 10x in the loss.`,
        h('div', { class: 'controls' }, h('label', {}, 'region ', regionSelect)),
        h(
          'div',
          { class: 'row', style: 'margin-top:6px' },
          inInput.element,
          inHole.element,
          inWeights.element,
          inTarget.element,
        ),
      ),
      taskPanel(
        'denoising',
        'Denoising autoencoder',
        'Corrupt the image, reconstruct the clean one. Masking zeroes, salt and pepper sets to 0 or 1 exactly round(level · d) components; Gaussian adds level · z.',
        h(
          'div',
          { class: 'controls' },
          h('label', {}, 'corruption ', corruptionSelect),
          h('label', {}, 'level ', levelInput, ' ', levelText),
        ),
        h(
          'div',
          { class: 'row', style: 'margin-top:6px' },
          deInput.element,
          deMask.element,
          deTarget.element,
        ),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      taskPanel(
        'colorization',
        'Colorization',
        'From the lightness L, predict a distribution over the 261 in-gamut ab bins; the target soft-encodes the true ab over its 5 nearest bins (sigma 5).',
        h('div', { class: 'row' }, coImage.element, coL.element, coA.element, coB.element, coAb.element),
        h(
          'div',
          { class: 'row', style: 'margin-top:8px' },
          h(
            'div',
            { class: 'figure' },
            h('h3', {}, 'the 261 ab bins'),
            binCanvas,
            h(
              'span',
              { class: 'caption' },
              'a → right, b ↑; dots: how many of the image’s pixels fall in each bin; outlined: the clicked pixel’s target',
            ),
          ),
          binText,
        ),
      ),
    ),
  );

  let lab: RotationLab | undefined;
  if (!hasRotationMethod()) {
    trainPanel.append(
      h(
        'p',
        { class: 'caption', id: 'rot-missing', style: 'max-width:none' },
        `@genoise/train's registry has no '${ROTATION_LAB_METHOD}' method in this build, so there is nothing to train here yet.`,
      ),
    );
  } else {
    lab = await RotationLab.create(data, {
      seed: intParam(params, 'trainSeed', 0, 0, 1_000_000),
      batchSize: intParam(params, 'batch', 16, 1, 128),
      evalSize: intParam(params, 'eval', 100, 10, 500),
    });
  }
  const evalEvery = intParam(params, 'evalEvery', 10, 1, 10_000);
  const play = h('button', { id: 'rot-train', class: 'primary', disabled: !lab }, 'Train');
  const stepButton = h('button', { id: 'rot-step', disabled: !lab }, 'Step');
  const resetButton = h('button', { id: 'rot-reset', disabled: !lab }, 'Reset');
  const [stepBox, stepEl] = metric('rot-step-count', 'steps', '0');
  const [lossBox, lossEl] = metric('rot-loss', 'task loss (cross-entropy)');
  const [accBox, accEl] = metric('rot-accuracy', 'accuracy, this batch');
  const [heldBox, heldEl] = metric('rot-heldout', 'accuracy, held-out');
  const [speedBox, speedEl] = metric('rot-speed', 'steps / s');
  const lossCurve = lossChart('rot-curve', 420, 120);
  if (lab) {
    trainPanel.append(
      h(
        'p',
        { class: 'caption', style: 'max-width:none;margin:0 0 8px' },
        `@genoise/train's '${ROTATION_LAB_METHOD}' method as the trainer runs it (createMethod, its batch, trainStep; Adam with warm-up and cosine over ${lab.settings.scheduleSteps} steps, then a warm restart): the small convnet encoder and a linear 4-way head, ${lab.settings.batchSize} train images per step in all four rotations (${4 * lab.settings.batchSize} inputs). Held-out: ${lab.settings.evalSize} test images, every ${evalEvery} steps. Chance is 25%.`,
      ),
      h('div', { class: 'controls' }, play, stepButton, resetButton),
      h(
        'div',
        { class: 'row', style: 'margin-top:8px;align-items:center' },
        h('div', { class: 'metrics' }, stepBox, lossBox, accBox, heldBox, speedBox),
        lossCurve.svg,
      ),
    );
  }

  // --- drawing the tasks
  let renders = 0;
  let generation = 0;
  const taskKey = (task: (typeof TASKS)[number]): Key => foldIn(createKey(seed), TASKS.indexOf(task));
  const drawPredictions = async () => {
    if (!lab) return;
    const x = tf.tensor4d(image.values, [1, image.height, image.width, 1]);
    try {
      const { probabilities } = await lab.predict(x);
      rotPredictions.forEach((el, k) => {
        const p = Array.from(probabilities.subarray(4 * k, 4 * k + 4));
        const best = p.indexOf(Math.max(...p));
        el.textContent = `network: ${best * 90}° (${(100 * p[best]!).toFixed(0)}%)${best === k ? ' ✓' : ''}`;
      });
    } finally {
      x.dispose();
    }
  };

  let colour: ColorizationView | undefined;
  const drawBins = () => {
    if (!colour) return;
    const cell = 13;
    const as = bins.centres.map(([a]) => a);
    const bs = bins.centres.map(([, b]) => b);
    const [aMin, aMax, bMin, bMax] = [Math.min(...as), Math.max(...as), Math.min(...bs), Math.max(...bs)];
    const width = ((aMax - aMin) / 10 + 1) * cell;
    const height = ((bMax - bMin) / 10 + 1) * cell;
    binCanvas.width = width;
    binCanvas.height = height;
    const context = binCanvas.getContext('2d')!;
    context.clearRect(0, 0, width, height);
    const place = (a: number, b: number) => [((a - aMin) / 10) * cell, ((bMax - b) / 10) * cell] as const;
    const maxCount = Math.max(...colour.counts, 1);
    const p = pixel.y * SCENE_SIDE + pixel.x;
    const target = colour.targets.subarray(p * bins.centres.length, (p + 1) * bins.centres.length);
    const lines: string[] = [];
    bins.centres.forEach(([a, b], q) => {
      const [x, y] = place(a, b);
      context.fillStyle = byteColour(bins.rgb, q);
      context.fillRect(x, y, cell - 1, cell - 1);
      const count = colour!.counts[q]!;
      if (count > 0) {
        context.fillStyle = 'rgba(0,0,0,0.75)';
        context.beginPath();
        context.arc(
          x + cell / 2,
          y + cell / 2,
          1 + (cell / 2 - 2) * Math.sqrt(count / maxCount),
          0,
          2 * Math.PI,
        );
        context.fill();
      }
      if (target[q]! > 0) {
        context.strokeStyle = '#000';
        context.lineWidth = 1 + 3 * target[q]!;
        context.strokeRect(x - 1, y - 1, cell + 1, cell + 1);
        lines.push(`(${a}, ${b}): ${target[q]!.toFixed(3)}`);
      }
    });
    const a = colour.ab[2 * p]!;
    const b = colour.ab[2 * p + 1]!;
    const [px, py] = place(a, b);
    context.strokeStyle = '#fff';
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(px + cell / 2 - 5, py + cell / 2);
    context.lineTo(px + cell / 2 + 5, py + cell / 2);
    context.moveTo(px + cell / 2, py + cell / 2 - 5);
    context.lineTo(px + cell / 2, py + cell / 2 + 5);
    context.stroke();
    binText.textContent = `Pixel (x ${pixel.x}, y ${pixel.y}): L ${(100 * colour.lightness.values[p]!).toFixed(1)}, a ${a.toFixed(1)}, b ${b.toFixed(1)} (white cross). Its target, bins (a, b): weight — ${lines.join('; ')}. ${colour.colorful ? '' : 'This image is near-grey: the authors give it zero weight.'}`;
  };
  const drawColourImage = () => {
    if (!colour) return;
    drawPicture(coImage.canvas, colour.image, 3, (context) => {
      context.strokeStyle = '#fff';
      context.lineWidth = 2;
      context.strokeRect(pixel.x * 3 - 2, pixel.y * 3 - 2, 7, 7);
    });
  };
  coImage.canvas.addEventListener('click', (event) => {
    const rect = coImage.canvas.getBoundingClientRect();
    pixel = {
      x: Math.min(
        SCENE_SIDE - 1,
        Math.max(0, Math.floor(((event.clientX - rect.left) / rect.width) * SCENE_SIDE)),
      ),
      y: Math.min(
        SCENE_SIDE - 1,
        Math.max(0, Math.floor(((event.clientY - rect.top) / rect.height) * SCENE_SIDE)),
      ),
    };
    drawColourImage();
    drawBins();
  });

  async function redraw(): Promise<void> {
    const mine = ++generation;
    const x = tf.tensor4d(image.values, [1, image.height, image.width, 1]);
    const colourImage = tf.tensor4d(scene.values, [1, SCENE_SIDE, SCENE_SIDE, 3]);
    try {
      const level = Number(levelInput.value);
      const [rotation, jigsaw, relative, inpaint, denoise, colorization] = await Promise.all([
        rotationView(taskKey('rotation'), x),
        jigsawView(taskKey('jigsaw'), x, permutations),
        relativeLocationView(taskKey('relative-location'), x),
        inpaintingView(taskKey('inpainting'), x, regionSelect.value as 'central' | 'random'),
        denoisingView(taskKey('denoising'), x, corruptionSelect.value as Corruption, level),
        colorizationView(taskKey('colorization'), colourImage),
      ]);
      if (mine !== generation) return; // a newer draw is on its way
      keyText.textContent = `Seed ${seed}.`;
      rotation.rotations.forEach((r, k) => {
        drawPicture(rot[k]!.canvas, r, 2);
      });

      const T = jigsaw.tileSize;
      drawPicture(jigImage.canvas, jigsaw.image, ZOOM, (context) => {
        context.strokeStyle = 'rgba(255,255,255,0.35)';
        context.lineWidth = 1;
        for (let i = 1; i < 3; i++) {
          const at = i * (jigsaw.image.width / 3) * ZOOM;
          context.beginPath();
          context.moveTo(at, 0);
          context.lineTo(at, jigsaw.image.height * ZOOM);
          context.moveTo(0, at);
          context.lineTo(jigsaw.image.width * ZOOM, at);
          context.stroke();
        }
        jigsaw.boxes.forEach(([top, left]) => {
          box(context, top, left, T, ZOOM, '#f76707');
        });
      });
      jigImage.note.textContent = `cells of ${jigsaw.image.width / 3} px, tiles of ${T} px`;
      const tileZoom = (ZOOM * jigsaw.image.width) / jigsaw.shuffled.width;
      const gridLines = (context: CanvasRenderingContext2D) => {
        context.strokeStyle = '#fff';
        context.lineWidth = 3;
        for (let i = 1; i < 3; i++) {
          const at = i * T * tileZoom;
          context.beginPath();
          context.moveTo(at, 0);
          context.lineTo(at, 3 * T * tileZoom);
          context.moveTo(0, at);
          context.lineTo(3 * T * tileZoom, at);
          context.stroke();
        }
      };
      drawPicture(jigShuffled.canvas, jigsaw.shuffled, tileZoom, gridLines);
      jigShuffled.note.textContent = 'tiles stretched to their own range';
      drawPicture(jigPlaced.canvas, jigsaw.inPlace, tileZoom, gridLines);
      jigText.textContent = `Label: permutation ${jigsaw.index} of ${jigsaw.setSize}, [${jigsaw.permutation.join(' ')}]: position k shows tile permutation[k] (tiles numbered row-major). The identity is permutation 0.`;

      drawPicture(relImage.canvas, image, ZOOM, (context) => {
        box(context, relative.centreBox[0], relative.centreBox[1], relative.patchSize, ZOOM, '#1c7ed6');
        box(context, relative.neighbourBox[0], relative.neighbourBox[1], relative.patchSize, ZOOM, '#f76707');
      });
      relImage.note.textContent = 'blue: centre, orange: neighbour';
      drawPicture(relCentre.canvas, relative.centre, 8);
      relCentre.note.textContent =
        relative.sides[0] === relative.patchSize ? 'as cut' : `resampled via ${relative.sides[0]} px`;
      drawPicture(relNeighbour.canvas, relative.neighbour, 8);
      relNeighbour.note.textContent =
        relative.sides[1] === relative.patchSize ? 'as cut' : `resampled via ${relative.sides[1]} px`;
      // The 3x3 grid of classes with the neighbour's cell marked.
      const cells = Array.from({ length: 9 }, (_, i): number => (i === 4 ? 0.5 : 0.92));
      const labelCell = (relative.offset[0] + 1) * 3 + (relative.offset[1] + 1);
      cells[labelCell] = 0.1;
      drawPicture(
        relClass.canvas,
        { height: 3, width: 3, channels: 1, values: Float32Array.from(cells) },
        18,
      );
      relClass.note.textContent = `class ${relative.label} (grey: centre)`;

      drawPicture(inInput.canvas, inpaint.input, ZOOM);
      drawPicture(inHole.canvas, inpaint.hole, ZOOM);
      inHole.note.textContent = `${inpaint.holePixels} px (${((100 * inpaint.holePixels) / (image.width * image.height)).toFixed(1)}%)`;
      drawPicture(inWeights.canvas, inpaint.weights, ZOOM);
      inWeights.note.textContent = `band (white) ${inpaint.bandPixels} px ×10, hole ×1`;
      drawPicture(inTarget.canvas, inpaint.target, ZOOM);

      drawPicture(deInput.canvas, denoise.input, ZOOM);
      deInput.note.textContent =
        corruptionSelect.value === 'gaussian'
          ? 'corrupted (clipped to [0, 1] for display only)'
          : 'corrupted';
      drawPicture(deMask.canvas, denoise.corrupted, ZOOM);
      deMask.note.textContent = `components: ${(100 * denoise.fraction).toFixed(1)}%`;
      drawPicture(deTarget.canvas, denoise.target, ZOOM);

      colour = colorization;
      drawColourImage();
      drawPicture(coL.canvas, colorization.lightness, 3);
      drawPicture(coA.canvas, colorization.aOnly, 3);
      drawPicture(coB.canvas, colorization.bOnly, 3);
      drawPicture(coAb.canvas, colorization.abOnly, 3);
      drawBins();
      await drawPredictions();
      renders++;
      renderCount.textContent = String(renders);
    } finally {
      tf.dispose([x, colourImage]);
    }
  }

  // --- the training loop
  if (lab) {
    const losses: number[] = [];
    let running = false;
    const rate = new StepRate();
    let busy: Promise<void> = Promise.resolve();
    const evaluate = async () => {
      heldEl.textContent = `${(100 * (await lab!.evaluate())).toFixed(1)}%`;
      await drawPredictions();
    };
    const oneStep = async () => {
      const result = await lab!.trainStep();
      losses.push(result.loss);
      stepEl.textContent = String(result.step);
      lossEl.textContent = result.loss.toFixed(4);
      accEl.textContent = result.accuracy === undefined ? 'n/a' : `${(100 * result.accuracy).toFixed(1)}%`;
      lossCurve.draw(losses);
      const perSecond = rate.tick(performance.now());
      if (perSecond !== undefined) speedEl.textContent = perSecond.toFixed(2);
      if (result.step % evalEvery === 0 || !running) await evaluate();
    };
    const loop = async () => {
      while (running) {
        try {
          busy = oneStep();
          await busy;
        } catch (error) {
          running = false;
          shell.showError(error);
        }
        await nextTask();
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
    stepButton.addEventListener('click', () => {
      stepButton.disabled = true;
      busy = oneStep()
        .catch((e) => shell.showError(e))
        .finally(() => {
          stepButton.disabled = running;
        });
    });
    resetButton.addEventListener('click', async () => {
      running = false;
      await busy;
      await lab!.reset();
      losses.length = 0;
      lossCurve.draw(losses);
      stepEl.textContent = '0';
      lossEl.textContent = '–';
      accEl.textContent = '–';
      speedEl.textContent = '–';
      await evaluate();
    });
    await evaluate();
  }
  await redraw();
}

void mountPage(
  'pretext',
  'Before contrastive learning, self-supervision meant inventing a task whose labels come free with the image. Here is each task’s input and target on real images, live; change the key to draw them again, and train RotNet below.',
  async (shell) => run(shell),
);
