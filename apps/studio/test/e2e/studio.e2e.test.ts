import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  blankCanvases,
  CHROMIUM_PATH,
  E2E_BACKENDS,
  launchChromium,
  numberIn,
  openPage,
  screenshot,
} from './browser';
import { NO_CHROMIUM_MESSAGE } from './find-chromium';

let browser: Browser;
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');
const POLL = { timeout: 60_000, interval: 100 };
const baseUrl = inject('baseUrl');
const url = (page: string, query: Record<string, string | number>) =>
  `${baseUrl}${page}.html?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

// Without a browser every test below is reported as skipped, named with how to get one.
describe.skipIf(CHROMIUM_PATH === '')(
  CHROMIUM_PATH === '' ? NO_CHROMIUM_MESSAGE : 'studio in Chromium',
  () => {
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    describe.each(E2E_BACKENDS)('on %s', (backend) => {
      test('home page lists the demos and shows the backend', async () => {
        const { page, errors } = await openPage(browser, url('index', { backend }));
        expect(await page.textContent('#backend-name')).toBe(backend);
        expect(await page.locator('.card').count()).toBe(5);
        await expect.poll(() => page.isHidden('#page-error')).toBe(true);
        await screenshot(page, `${backend}-index`, backend === 'wasm' ? 'index' : undefined);
        expect(errors).toEqual([]);
        await page.close();
      });

      test('augmentations: views render and change with the seed and a parameter', async () => {
        const { page, errors } = await openPage(browser, url('augment', { backend }));
        expect(await page.textContent('#backend-name')).toBe(backend);
        expect(await page.isHidden('#page-error')).toBe(true);
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBe(6); // three recipes, two views each
        const pixels = () =>
          page.evaluate(() => {
            const canvas = document.querySelector<HTMLCanvasElement>('[data-recipe="simclr"] canvas')!;
            return canvas.toDataURL();
          });
        const before = await pixels();
        await page.click('#seed-next');
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBe(12);
        expect(await pixels()).not.toBe(before);
        // Move the crop's height slider of SimCLR's first view: one more render, different pixels.
        const slider = page.locator('[data-recipe="simclr"] input[data-field="0.height"]').first();
        const afterSeed = await pixels();
        await slider.fill(String(Number(await slider.getAttribute('min')) + 10));
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBe(13);
        expect(await pixels()).not.toBe(afterSeed);
        await screenshot(page, `${backend}-augment`, backend === 'wasm' ? 'augment' : undefined);
        expect(errors).toEqual([]);
        await page.close();
      });

      test('contrastive training: steps in a worker, loss and kNN change, no leaks across pause/resume/reset', async () => {
        const tiny = backend === 'webgpu';
        const query = tiny
          ? { backend, batch: 8, bank: 100, eval: 50, evalEvery: 2 }
          : { backend, batch: 32, bank: 400, eval: 100, evalEvery: 3 };
        const { page, errors } = await openPage(browser, url('contrastive', query));
        await expect.poll(() => page.textContent('#knn'), POLL).toMatch(/%/);
        expect(await page.textContent('#backend-name')).toBe(backend);
        // The method menu is @genoise/train's registry: every representation method, SimSiam to VICReg too.
        const methods = await page.$$eval('#method option', (options) =>
          options.map((o) => (o as HTMLOptionElement).value),
        );
        expect(methods).toEqual(
          expect.arrayContaining(['simclr', 'moco', 'byol', 'simsiam', 'barlow-twins', 'vicreg']),
        );
        expect(await page.inputValue('#method')).toBe(methods[0]);
        const baseline = await numberIn(page, '#tensors');
        const steps = () => numberIn(page, '#step-count');
        const paused = () => page.textContent('#status').then((t) => t?.startsWith('paused') ?? false);

        await page.click('#play');
        await expect.poll(steps, POLL).toBeGreaterThanOrEqual(1);
        const firstLoss = await numberIn(page, '#loss');
        await expect.poll(steps, POLL).toBeGreaterThanOrEqual(tiny ? 2 : 4);
        // The UI thread keeps painting while the worker trains.
        await expect.poll(() => numberIn(page, '#frame-gap'), POLL).toBeLessThan(500);
        await page.click('#play'); // pause
        await expect.poll(paused, POLL).toBe(true);
        const afterPause = await numberIn(page, '#tensors');
        const stepAtPause = await steps();
        expect(await numberIn(page, '#loss')).not.toBe(firstLoss);
        expect(Number.isFinite(await numberIn(page, '#steps-per-second'))).toBe(true);
        expect(await page.textContent('#knn')).toMatch(/^[0-9.]+%$/);

        await page.click('#play'); // resume
        await expect.poll(steps, POLL).toBeGreaterThanOrEqual(stepAtPause + 2);
        await page.click('#play');
        await expect.poll(paused, POLL).toBe(true);
        expect(await numberIn(page, '#tensors')).toBe(afterPause);

        // Retrieval for a clicked point.
        await page.click('#embedding', { position: { x: 190, y: 190 } });
        await expect.poll(() => page.textContent('#retrieval-hits'), POLL).toMatch(/of 8 neighbours/);
        await screenshot(page, `${backend}-contrastive`, backend === 'wasm' ? 'contrastive' : undefined);

        await page.click('#reset');
        await expect.poll(steps, POLL).toBe(0);
        await expect.poll(() => page.textContent('#embedding-caption'), POLL).toMatch(/at step 0/);
        expect(await numberIn(page, '#tensors')).toBe(baseline);

        // A method from the registry's newer entries trains in the page too (the last in the menu).
        if (!tiny) {
          const last = methods.at(-1)!;
          await page.selectOption('#method', last);
          // The worker handles messages in order: the reset to it, then the step.
          await page.click('#step');
          await expect.poll(steps, POLL).toBe(1);
          expect(Number.isFinite(await numberIn(page, '#loss'))).toBe(true);
        }
        expect(errors).toEqual([]);
        await page.close();
      });

      test('pretext tasks: every task draws on real images and redraws with the key; RotNet trains live', async () => {
        const webgpu = backend === 'webgpu';
        const { page, errors } = await openPage(
          browser,
          url('pretext', { backend, batch: webgpu ? 4 : 16, eval: webgpu ? 10 : 100, evalEvery: 5 }),
        );
        expect(await page.textContent('#backend-name')).toBe(backend);
        expect(await page.isHidden('#page-error')).toBe(true);
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBeGreaterThanOrEqual(1);
        const canvases = await page.$$eval('[data-task] canvas', (list) => list.map((c) => `#${c.id}`));
        expect(canvases.length).toBeGreaterThanOrEqual(19);
        // Every canvas but the masks has more than one colour (a mask can be one colour only by chance).
        expect(
          await blankCanvases(
            page,
            canvases.filter((id) => id !== '#inpaint-hole' && id !== '#denoise-mask'),
          ),
        ).toEqual([]);
        expect(await page.textContent('#jig-label')).toMatch(/permutation \d+ of 100/);
        expect(await page.textContent('#color-target')).toMatch(/weight/);
        // A new key: new tiles, new masks.
        const shuffled = () =>
          page.evaluate(() => document.querySelector<HTMLCanvasElement>('#jig-shuffled')!.toDataURL());
        const before = await shuffled();
        const renders = await numberIn(page, '#render-count');
        await page.click('#resample');
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBeGreaterThan(renders);
        expect(await shuffled()).not.toBe(before);
        // Back to seed 0 through the seed box: the same key draws the same puzzle.
        const resampled = await numberIn(page, '#render-count');
        await page.fill('#seed', '0');
        await page.dispatchEvent('#seed', 'change');
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBeGreaterThan(resampled);
        expect(await shuffled()).toBe(before);

        // The live training: rotation from @genoise/train's registry.
        if (await page.isVisible('#rot-missing')) {
          console.log('pretext: the registry has no rotation method in this build; live training not tested');
        } else {
          await expect.poll(() => page.textContent('#rot-heldout'), POLL).toMatch(/%/);
          const steps = webgpu ? 2 : 4;
          const losses: number[] = [];
          for (let i = 1; i <= steps; i++) {
            await page.click('#rot-step');
            await expect.poll(() => numberIn(page, '#rot-step-count'), POLL).toBe(i);
            await expect.poll(() => page.isEnabled('#rot-step'), POLL).toBe(true);
            losses.push(await numberIn(page, '#rot-loss'));
          }
          console.log(`pretext ${backend}: rotation losses ${losses.map((l) => l.toFixed(4)).join(' ')}`);
          for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
          expect(new Set(losses).size).toBeGreaterThan(1);
          expect(await page.textContent('#rot-accuracy')).toMatch(/^[0-9.]+%$/);
          if (!webgpu) {
            // Train, then pause: it keeps stepping and reports its speed.
            await page.click('#rot-train');
            await expect
              .poll(() => numberIn(page, '#rot-step-count'), POLL)
              .toBeGreaterThanOrEqual(steps + 6);
            await page.click('#rot-train');
            await expect.poll(() => page.isEnabled('#rot-step'), POLL).toBe(true);
            const speed = await numberIn(page, '#rot-speed');
            expect(speed).toBeGreaterThan(0);
            console.log(
              `pretext ${backend}: rotation training ${speed.toFixed(2)} steps/s (batch 16 images, 64 inputs)`,
            );
          }
        }
        await screenshot(page, `${backend}-pretext`, backend === 'wasm' ? 'pretext' : undefined);
        expect(errors).toEqual([]);
        await page.close();
      });

      test('geometry: ground-truth warp, error and masks; the stereo network trains and its disparity error changes', async () => {
        const { page, errors } = await openPage(
          browser,
          url('geometry', {
            backend,
            scenes: backend === 'webgpu' ? 1 : 4,
            // The live UnFlow: a small pool, one held-out pair, a picture every step.
            flowPool: 4,
            flowBatch: 2,
            flowEvalPairs: 1,
            flowEvery: 1,
          }),
        );
        expect(await page.textContent('#backend-name')).toBe(backend);
        expect(await page.isHidden('#page-error')).toBe(true);
        await expect.poll(() => numberIn(page, '#geo-error'), POLL).toBeGreaterThan(0);
        const truthError = await numberIn(page, '#geo-error');
        const epe0 = await numberIn(page, '#geo-epe');
        await page.check('#use-prediction');
        await expect.poll(() => numberIn(page, '#geo-error'), POLL).not.toBe(truthError);
        // Warping with the exact disparity explains the left view better than an untrained network does.
        expect(truthError).toBeLessThan(await numberIn(page, '#geo-error'));
        const steps = backend === 'webgpu' ? 1 : 4;
        for (let i = 1; i <= steps; i++) {
          await page.click('#step');
          await expect.poll(() => numberIn(page, '#geo-step'), POLL).toBe(i);
        }
        expect(Number.isFinite(await numberIn(page, '#geo-loss'))).toBe(true);
        expect(await numberIn(page, '#geo-epe')).not.toBe(epe0);

        // The flow view: frames, flow colours and both occlusion maps are drawn; the check's numbers
        // respond to its tolerance.
        await expect.poll(() => numberIn(page, '#flow-renders'), POLL).toBeGreaterThanOrEqual(1);
        expect(
          await blankCanvases(page, [
            '#flow-frame1',
            '#flow-frame2',
            '#flow-truth',
            '#flow-backward',
            '#flow-compare',
            '#flow-wheel',
          ]),
        ).toEqual([]);
        expect(await page.textContent('#flow-precision')).toMatch(/%|n\/a/);
        const marked = await page.textContent('#flow-occluded');
        const renders = await numberIn(page, '#flow-renders');
        await page.locator('#flow-noise').fill('1');
        await expect.poll(() => numberIn(page, '#flow-renders'), POLL).toBeGreaterThan(renders);
        await expect.poll(() => page.textContent('#flow-occluded'), POLL).not.toBe(marked);
        // Back to no noise: the same check, the same numbers (the noise is keyed, the rest exact).
        await page.locator('#flow-noise').fill('0');
        await expect.poll(() => page.textContent('#flow-occluded'), POLL).toBe(marked);

        // Live UnFlow from @genoise/train's registry, in a worker: a held-out pair's panels and the metric
        // line at step 0; on wasm a step, a run (the page keeps painting), a pause and a reset that frees
        // what training made (on WebGPU over SwiftShader the first UnFlow step takes about a minute,
        // measured: shader compilation on an emulated GPU).
        if (await page.isVisible('#unflow-missing')) {
          console.log('geometry: the registry has no unflow method in this build; live flow not tested');
        } else {
          const line = () => page.textContent('#unflow-metrics');
          const flowSteps = () => numberIn(page, '#unflow-step-count');
          await expect.poll(line, POLL).toMatch(/^step 0: EPE [0-9.]+ px \(zero flow [0-9.]+ px\) · fb mask/);
          expect(await blankCanvases(page, ['#unflow-frame1', '#unflow-truth', '#unflow-compare'])).toEqual(
            [],
          );
          await expect.poll(() => page.isEnabled('#unflow-step'), POLL).toBe(true);
          const fresh = await numberIn(page, '#unflow-tensors');
          console.log(`geometry ${backend}: unflow ${await line()}`);
          if (backend !== 'webgpu') {
            await page.click('#unflow-step');
            await expect.poll(flowSteps, POLL).toBe(1);
            await expect.poll(line, POLL).toMatch(/^step 1: /);
            expect(Number.isFinite(await numberIn(page, '#unflow-loss'))).toBe(true);
            await page.click('#unflow-train');
            await expect.poll(flowSteps, POLL).toBeGreaterThanOrEqual(4);
            await expect.poll(() => numberIn(page, '#unflow-frame-gap'), POLL).toBeLessThan(500);
            await page.click('#unflow-train'); // pause
            await expect.poll(() => page.isEnabled('#unflow-step'), POLL).toBe(true);
            const steps = await flowSteps();
            await expect.poll(line, POLL).toMatch(new RegExp(`^step ${steps}: `));
            console.log(
              `geometry ${backend}: unflow after ${steps} steps, ${await numberIn(page, '#unflow-speed')} steps/s, longest UI frame ${await numberIn(page, '#unflow-frame-gap')} ms: ${await line()}`,
            );
            await page.click('#unflow-reset');
            await expect.poll(line, POLL).toMatch(/^step 0: /);
            expect(await flowSteps()).toBe(0);
            expect(await numberIn(page, '#unflow-tensors')).toBe(fresh);
          }
        }
        await screenshot(page, `${backend}-geometry`, backend === 'wasm' ? 'geometry' : undefined);
        expect(errors).toEqual([]);
        await page.close();
      });

      test('bench: reports training steps per second on the backend', async () => {
        const query =
          backend === 'webgpu'
            ? { backend, batch: 16, steps: 2, warmup: 1, tasks: 'simclr' }
            : { backend, batch: 64, steps: 6, warmup: 2 };
        const { page, errors } = await openPage(browser, url('bench', query));
        await expect.poll(() => page.textContent('#bench-status'), POLL).toBe('done');
        const rows = JSON.parse((await page.textContent('#bench-json')) ?? '[]') as {
          task: string;
          stepsPerSecond: number;
          batch: string;
          medianMs: number;
          threads?: number;
          crossOriginIsolated?: boolean;
        }[];
        expect(rows).toHaveLength(backend === 'webgpu' ? 1 : 2);
        for (const row of rows) expect(row.stepsPerSecond).toBeGreaterThan(0);
        // vite preview serves COOP + COEP (vite.config.ts) unless STUDIO_ISOLATION=0.
        const isolated = process.env.STUDIO_ISOLATION !== '0';
        expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
        for (const row of rows) expect(row.crossOriginIsolated).toBe(isolated);
        // Isolated, tfjs-wasm loads its threaded SIMD build; the page says so and how many threads run.
        if (backend === 'wasm')
          expect(await page.textContent('#bench-threads')).toContain(`multithread support ${isolated}`);
        mkdirSync(OUTPUT, { recursive: true });
        writeFileSync(join(OUTPUT, `bench-${backend}.json`), JSON.stringify(rows, null, 2));
        console.log(
          rows
            .map(
              (r) =>
                `bench ${backend}: ${r.task}, batch ${r.batch}: ${r.stepsPerSecond.toFixed(2)} steps/s (${r.medianMs.toFixed(0)} ms)${r.threads !== undefined ? `, ${r.threads} thread${r.threads === 1 ? '' : 's'}` : ''}, crossOriginIsolated ${String(r.crossOriginIsolated)}`,
            )
            .join('\n'),
        );
        await screenshot(page, `${backend}-bench`, backend === 'wasm' ? 'bench' : undefined);
        expect(errors).toEqual([]);
        await page.close();
      });
    });

    test('a backend that cannot start falls back with a visible notice, not a blank page', async () => {
      const plain = await launchChromium({ webgpu: false }); // no --enable-unsafe-webgpu: no WebGPU adapter
      try {
        const { page, errors } = await openPage(plain, url('augment', { backend: 'webgpu' }));
        await expect.poll(() => page.isVisible('#backend-notice'), POLL).toBe(true);
        expect(await page.textContent('#backend-notice')).toMatch(
          /webgpu could not start.*Running on (webgl|wasm|cpu) instead/,
        );
        expect(await page.textContent('#backend-name')).not.toBe('webgpu');
        await expect.poll(() => numberIn(page, '#render-count'), POLL).toBe(6);
        await screenshot(page, 'fallback-augment');
        expect(errors).toEqual([]);
        await page.close();
      } finally {
        await plain.close();
      }
    });
  },
);
