// Plain JavaScript (typed by config.d.ts): vitest loads config files through Node, which cannot import
// a workspace package's TypeScript.
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The `@genoise/source` condition: tests and type checks run on siblings' `src/`, no build needed. */
const SOURCE_CONDITION = '@genoise/source';

function backendsFromEnv(fallback, webgpu) {
  const fromEnv = process.env.GENOISE_TEST_BACKENDS;
  if (fromEnv) return fromEnv.split(',').map((b) => b.trim());
  if (webgpu && process.env.GENOISE_TEST_WEBGPU === '1' && !fallback.includes('webgpu'))
    return [...fallback, 'webgpu'];
  return fallback;
}

/** See config.d.ts. */
export function defineBackendMatrix(options = {}) {
  const backends = backendsFromEnv(options.backends ?? ['cpu', 'wasm'], options.webgpu === true);
  const setupFiles = [...(options.setupFiles ?? ['./vitest.setup.ts'])];
  const timeout = options.testTimeout ?? 60_000;
  return defineConfig({
    resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    test: {
      testTimeout: timeout,
      hookTimeout: timeout,
      pool: 'forks',
      projects: backends.map((backend) => ({
        extends: true,
        test: {
          name: backend,
          env: { GENOISE_TEST_BACKEND: backend },
          setupFiles,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
    },
  });
}
