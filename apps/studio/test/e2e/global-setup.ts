import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { findChromium, NO_CHROMIUM_MESSAGE } from './find-chromium';

const root = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 4173));
    });
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The preview server's URL; '' when there is no browser (the tests are skipped). */
    baseUrl: string;
    /** The Chromium to launch ({@link findChromium}); '' when there is none. */
    chromiumPath: string;
    /** Its SwiftShader Vulkan ICD for headless WebGPU; '' when none was found. */
    swiftShaderIcd: string;
  }
}

/**
 * Finds a Chromium (see `findChromium`); without one, prints one line saying how to get it and provides
 * nothing, so the e2e tests are reported as skipped. Otherwise builds the app (unless
 * STUDIO_E2E_SKIP_BUILD=1) and serves it with `vite preview` for the tests.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const browser = findChromium({ playwrightExecutable: chromium.executablePath() });
  project.provide('chromiumPath', browser?.path ?? '');
  project.provide('swiftShaderIcd', browser?.swiftShaderIcd ?? '');
  if (browser === undefined) {
    console.log(NO_CHROMIUM_MESSAGE);
    project.provide('baseUrl', '');
    return undefined;
  }
  console.log(`e2e: Chromium from ${browser.source}: ${browser.path}`);
  const configFile = join(root, 'vite.config.ts');
  if (process.env.STUDIO_E2E_SKIP_BUILD !== '1') {
    const started = performance.now();
    execFileSync(process.execPath, [join(root, 'scripts', 'prepare-data.mjs')], { stdio: 'inherit' });
    await build({ configFile, root, logLevel: 'error' });
    console.log(`e2e: built the studio in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const port = await freePort();
  const server = await preview({
    configFile,
    root,
    logLevel: 'error',
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  const baseUrl = `http://127.0.0.1:${port}/`;
  project.provide('baseUrl', baseUrl);
  return async () => {
    await server.close();
  };
}
