import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { E2E_BACKENDS, launchChromium, numberIn, openPage, screenshot } from './browser';

let browser: Browser;
const POLL = { timeout: 60_000, interval: 100 };
const baseUrl = inject('baseUrl');
const url = (page: string, query: Record<string, string | number>) =>
  `${baseUrl}${page}.html?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

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
    expect(await page.locator('.card').count()).toBe(4);
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
});
