import { byolViews, mocoV2Views, type RecipePreset, simclrViews, type ViewRecipe } from '@genoise/augment';
import { createKey, foldIn, randintValues, splitKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describeStages, type RecipeId, setApplied, setField } from '../lib/augment-params';
import { toRgba } from '../lib/colormap';
import { h, paint, pixelCanvas } from '../lib/dom';
import { FASHION_CLASS_NAMES, loadFashionSubset } from '../lib/fashion-data';
import { fashionSample, fileSample, type SampleImage, sceneSample } from '../lib/sample-images';
import { intParam } from '../lib/url-options';
import { mountPage, type Shell } from '../shell/shell';

const RECIPES: readonly { id: RecipeId; title: string; make: typeof simclrViews; blurb: string }[] = [
  {
    id: 'simclr',
    title: 'SimCLR',
    make: simclrViews,
    blurb: 'one pipeline for both views: crop, flip, colour jitter, grey',
  },
  {
    id: 'byol',
    title: 'BYOL',
    make: byolViews,
    blurb: 'asymmetric views: the second adds solarize (and less blur)',
  },
  { id: 'mocoV2', title: 'MoCo v2', make: mocoV2Views, blurb: 'crop, jitter, grey, (blur), flip' },
];

/** Display zoom so every image shows at about 180 px. */
const zoomFor = (image: SampleImage) => Math.max(1, Math.round(180 / image.width));

interface ViewState {
  params: unknown[];
  readonly canvas: HTMLCanvasElement;
  readonly table: HTMLTableElement;
}

async function run(shell: Shell): Promise<void> {
  const { main, options } = shell;
  let seed = intParam(options.params, 'seed', 0, 0, 1_000_000);
  let preset: RecipePreset = options.params.get('preset') === 'imagenet' ? 'imagenet' : 'small';
  let minScale = 0.2;
  let renders = 0;

  const fashion = await loadFashionSubset();
  const samples: SampleImage[] = [
    sceneSample(1),
    sceneSample(7),
    ...[0, 1, 7, 9].map((c) =>
      fashionSample(fashion.test.pixels, c * 50, fashion.side, FASHION_CLASS_NAMES[c] ?? String(c)),
    ),
  ];
  let image = samples[0]!;

  // --- image picker and global controls
  const thumbs = h('div', { class: 'thumbs', id: 'samples' });
  const drawThumbs = () => {
    thumbs.replaceChildren(
      ...samples.map((sample) => {
        const c = pixelCanvas(sample.width, sample.height, 56 / sample.width, sample.name);
        c.title = sample.name;
        c.classList.toggle('selected', sample === image);
        paint(c, toRgba(sample.values, sample.channels), sample.width, sample.height);
        c.addEventListener('click', () => {
          image = sample;
          drawThumbs();
          resample();
        });
        return c;
      }),
    );
  };
  const fileInput = h('input', { type: 'file', accept: 'image/*', id: 'image-file' });
  const drop = h('label', { class: 'drop' }, 'Drop an image here, or choose one: ', fileInput);
  const useFile = async (file: File | undefined) => {
    if (!file) return;
    const sample = await fileSample(file);
    samples.push(sample);
    image = sample;
    drawThumbs();
    resample();
  };
  fileInput.addEventListener('change', () => void useFile(fileInput.files?.[0]));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void useFile(e.dataTransfer?.files[0]);
  });

  const seedInput = h('input', { type: 'number', id: 'seed', value: seed, min: 0 });
  let jumps = 0;
  const setSeed = (value: number) => {
    seed = Math.max(0, Math.floor(value));
    seedInput.value = String(seed);
    resample();
  };
  seedInput.addEventListener('change', () => setSeed(Number(seedInput.value)));
  const presetSelect = h(
    'select',
    { id: 'preset' },
    h('option', { value: 'small' }, "'small' (28-32 px)"),
    h('option', { value: 'imagenet' }, "'imagenet' (with blur)"),
  );
  presetSelect.value = preset;
  presetSelect.addEventListener('change', () => {
    preset = presetSelect.value as RecipePreset;
    resample();
  });
  const scaleInput = h('input', {
    type: 'range',
    min: 0.05,
    max: 1,
    step: 0.05,
    value: minScale,
    id: 'min-scale',
  });
  const scaleText = h('span', {}, minScale.toFixed(2));
  scaleInput.addEventListener('input', () => {
    minScale = Number(scaleInput.value);
    scaleText.textContent = minScale.toFixed(2);
    resample();
  });
  const renderCount = h('span', { id: 'render-count', class: 'muted' }, '0');
  main.append(
    h(
      'div',
      { class: 'row' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Image'),
        thumbs,
        h('div', { style: 'margin-top:8px' }, drop),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Sampling'),
        h(
          'div',
          { class: 'controls' },
          h('label', {}, 'seed ', seedInput),
          h('button', { id: 'seed-prev', onclick: () => setSeed(seed - 1) }, '−'),
          h('button', { id: 'seed-next', onclick: () => setSeed(seed + 1) }, '+'),
          h(
            'button',
            // A jump to an unrelated seed, drawn from a key (the current seed folded with a counter),
            // so a page reached by the same clicks shows the same views.
            {
              id: 'seed-random',
              onclick: () => setSeed(randintValues(foldIn(createKey(seed), ++jumps), 1, 0, 100_000)[0]!),
            },
            'random',
          ),
        ),
        h(
          'div',
          { class: 'controls', style: 'margin-top:8px' },
          h('label', {}, 'preset ', presetSelect),
          h('label', {}, 'min crop area ', scaleInput, ' ', scaleText),
        ),
        h(
          'p',
          { class: 'caption', style: 'max-width:340px' },
          'A view is sample(key) → params, then apply(image, params). The same seed gives the same views on every backend. Edit any parameter below to apply it again. Views rendered: ',
          renderCount,
        ),
      ),
    ),
  );

  // --- one panel per recipe, two views each
  const recipeViews = new Map<RecipeId, [ViewState, ViewState]>();
  const recipeRow = h('div', { class: 'row' });
  main.append(recipeRow);
  for (const recipe of RECIPES) {
    const views = [0, 1].map((v) => ({
      params: [],
      canvas: pixelCanvas(96, 96, 2, `${recipe.title} view ${v + 1}`),
      table: h('table', { class: 'params' }),
    })) as unknown as [ViewState, ViewState];
    recipeViews.set(recipe.id, views);
    recipeRow.append(
      h(
        'section',
        { class: 'panel', 'data-recipe': recipe.id },
        h('h2', {}, recipe.title),
        h('p', { class: 'caption' }, recipe.blurb),
        h(
          'div',
          { class: 'row' },
          ...views.map((view, v) =>
            h('div', { class: 'figure' }, h('h3', {}, `view ${v + 1}`), view.canvas, view.table),
          ),
        ),
      ),
    );
  }

  const recipeFor = (id: RecipeId): ViewRecipe => {
    const make = RECIPES.find((r) => r.id === id)!.make;
    return make({ size: [image.height, image.width], preset, scale: [minScale, 1] });
  };

  /** Applies a view's (possibly edited) params and draws the result. */
  const generation = new Map<string, number>();
  const render = async (id: RecipeId, v: 0 | 1) => {
    const view = recipeViews.get(id)![v];
    const tag = `${id}${v}`;
    const mine = (generation.get(tag) ?? 0) + 1;
    generation.set(tag, mine);
    const recipe = recipeFor(id);
    const out = tf.tidy(() => {
      const x = tf.tensor4d(image.values, [1, image.height, image.width, image.channels]);
      return recipe.views[v].apply(x, view.params);
    });
    const [, height, width, channels] = out.shape;
    const values = await out.data();
    out.dispose();
    if (generation.get(tag) !== mine) return; // a newer render of this view is on its way
    view.canvas.style.width = `${width * zoomFor(image)}px`;
    view.canvas.style.height = `${height * zoomFor(image)}px`;
    paint(view.canvas, toRgba(values, channels), width, height);
    drawTable(id, v);
    renders++;
    renderCount.textContent = String(renders);
  };

  const drawTable = (id: RecipeId, v: 0 | 1) => {
    const view = recipeViews.get(id)![v];
    const rows: HTMLTableRowElement[] = [];
    for (const stage of describeStages(id, v, view.params)) {
      const box = h('input', { type: 'checkbox', 'aria-label': `${stage.label} applied` });
      box.checked = stage.applied ?? true;
      box.disabled = stage.applied === undefined;
      box.addEventListener('change', () => {
        view.params = setApplied(view.params, stage.index, box.checked);
        void render(id, v);
      });
      rows.push(
        h(
          'tr',
          {},
          h(
            'td',
            { class: 'stage', colspan: 3 },
            box,
            ` ${stage.label}`,
            stage.notes.length ? ` · ${stage.notes.join(' · ')}` : '',
          ),
        ),
      );
      for (const field of stage.fields) {
        const slider = h('input', {
          type: 'range',
          min: field.min,
          max: Math.max(field.min, field.max),
          step: field.step,
          value: field.value,
          'data-field': `${stage.index}.${field.name}`,
          'aria-label': `${stage.label} ${field.name}`,
        });
        slider.addEventListener('input', () => {
          view.params = setField(view.params, stage.index, field.name, Number(slider.value));
          void render(id, v);
        });
        const text = field.step >= 1 ? String(field.value) : field.value.toFixed(2);
        rows.push(
          h(
            'tr',
            {},
            h('td', { class: stage.applied === false ? 'off' : '' }, field.name),
            h('td', {}, slider),
            h('td', {}, text),
          ),
        );
      }
    }
    view.table.replaceChildren(...rows);
  };

  /** Draws new params for every view from the seed (as makeViews does: one split key per view). */
  function resample(): void {
    const size = { height: image.height, width: image.width, channels: image.channels };
    for (const { id } of RECIPES) {
      const recipe = recipeFor(id);
      const keys = splitKey(createKey(seed), 2);
      const views = recipeViews.get(id)!;
      for (const v of [0, 1] as const) {
        views[v].params = [...(recipe.views[v].sample(keys[v]!, 1, size) as readonly unknown[])];
        void render(id, v);
      }
    }
  }

  drawThumbs();
  resample();
}

void mountPage(
  'augment',
  'Two views of one image are what a joint-embedding method learns to match. Pick an image, change the seed, and move any sampled parameter.',
  async (shell) => run(shell),
);
