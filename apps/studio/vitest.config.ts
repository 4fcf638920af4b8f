import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Two projects, run one file at a time (two shared cores): `unit` tests the app's own logic in Node
// (tensors on wasm), `e2e` builds the app, serves it with `vite preview` and drives Chromium (Debian's,
// Playwright's or CHROMIUM_PATH; see test/e2e/find-chromium.ts) through playwright-core on each backend in
// STUDIO_E2E_BACKENDS (default webgpu and wasm). Without a Chromium the e2e tests are reported as skipped.
const source = '@genoise/source';

export default defineConfig({
  resolve: { conditions: [source, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
  test: {
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/**/*.e2e.test.ts'],
          setupFiles: ['./test/unit/setup.ts'],
          testTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['./test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
    ],
  },
});
