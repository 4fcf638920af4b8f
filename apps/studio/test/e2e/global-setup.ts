import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';

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
    baseUrl: string;
  }
}

/** Builds the app (unless STUDIO_E2E_SKIP_BUILD=1) and serves it with `vite preview` for the e2e tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
