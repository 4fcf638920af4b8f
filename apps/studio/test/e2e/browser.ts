import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(root, 'test-output', 'screenshots');

/** Backends the e2e suite runs on: STUDIO_E2E_BACKENDS, default webgpu (SwiftShader) and wasm. */
export const E2E_BACKENDS = (process.env.STUDIO_E2E_BACKENDS ?? 'webgpu,wasm')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);

/** The Chromium global-setup found (`findChromium`); '' when there is none and the e2e tests are skipped. */
export const CHROMIUM_PATH = inject('chromiumPath');

/**
 * The Chromium global-setup found, headless, with WebGPU on SwiftShader (its Vulkan ICD, unless
 * VK_ICD_FILENAMES is set) unless `webgpu: false`.
 */
export async function launchChromium({ webgpu = true }: { webgpu?: boolean } = {}): Promise<Browser> {
  const args = ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage'];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  const icd = process.env.VK_ICD_FILENAMES ?? inject('swiftShaderIcd');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args,
    env: { ...process.env, ...(icd ? { VK_ICD_FILENAMES: icd } : {}) },
  });
}

/** A page that records console errors and uncaught exceptions. */
export interface WatchedPage {
  readonly page: Page;
  readonly errors: string[];
}

/** Console messages that are not the app's: Chromium's own notes about the software GPU. */
const IGNORED = [/GPU stall due to ReadPixels/i, /Automatic fallback to software WebGL/i];

export async function openPage(browser: Browser, url: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !IGNORED.some((re) => re.test(message.text())))
      errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  return { page, errors };
}

/** Saves a screenshot under test-output/screenshots, and under docs/ when STUDIO_UPDATE_DOCS=1. */
export async function screenshot(page: Page, name: string, docsName?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (docsName !== undefined && process.env.STUDIO_UPDATE_DOCS === '1') {
    copyFileSync(file, join(root, 'docs', `${docsName}.png`));
  }
}

/** A number shown in an element (its text, parsed). */
export async function numberIn(page: Page, selector: string): Promise<number> {
  const text = (await page.textContent(selector)) ?? '';
  return Number.parseFloat(text.replace(/[^0-9.eE+-]/g, ''));
}

/** Of the canvases `selectors` name, those that are missing, empty or of one colour only (nothing drawn). */
export async function blankCanvases(page: Page, selectors: readonly string[]): Promise<string[]> {
  return page.evaluate((list) => {
    const blank: string[] = [];
    for (const selector of list) {
      const canvas = document.querySelector<HTMLCanvasElement>(selector);
      const context = canvas?.getContext('2d');
      if (!canvas || !context || canvas.width === 0 || canvas.height === 0) {
        blank.push(selector);
        continue;
      }
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let varied = false;
      for (let i = 4; i < data.length && !varied; i++) varied = data[i] !== data[i % 4];
      if (!varied) blank.push(selector);
    }
    return blank;
  }, selectors);
}
