// Plain JavaScript (typed by config.d.ts): vitest loads config files through Node, which cannot import
// a workspace package's TypeScript.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** The `@genoise/source` condition: tests and type checks run on siblings' `src/`, no build needed. */
const SOURCE_CONDITION = '@genoise/source';

/**
 * Whether tfjs-node's native addon loads here (the root postinstall sets it up where it can): loads the
 * addon alone in a child process (about 0.5 s), once per run; the answer is passed on to vitest's own
 * processes through GENOISE_TFJS_NODE_LOADS.
 */
function tfjsNodeLoads() {
  const known = process.env.GENOISE_TFJS_NODE_LOADS;
  if (known === '1' || known === '0') return known === '1';
  let loads = false;
  try {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    const pkg = require.resolve('@tensorflow/tfjs-node/package.json');
    const preGyp = createRequire(pkg).resolve('@mapbox/node-pre-gyp');
    const script = `const b = require(${JSON.stringify(preGyp)}); const t = require(b.find(${JSON.stringify(pkg)})); process.stdout.write(String(t.TF_Version));`;
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
    });
    loads = r.status === 0 && /^\d+\.\d+/.test(r.stdout);
  } catch {
    loads = false;
  }
  process.env.GENOISE_TFJS_NODE_LOADS = loads ? '1' : '0';
  return loads;
}

function backendsFromEnv(fallback, options) {
  const fromEnv = process.env.GENOISE_TEST_BACKENDS;
  if (fromEnv) return fromEnv.split(',').map((b) => b.trim());
  const backends = [...fallback];
  if (options.tensorflow !== false && !backends.includes('tensorflow') && tfjsNodeLoads())
    backends.push('tensorflow');
  if (options.webgpu === true && process.env.GENOISE_TEST_WEBGPU === '1' && !backends.includes('webgpu'))
    backends.push('webgpu');
  return backends;
}

/** See config.d.ts. */
export function defineBackendMatrix(options = {}) {
  const backends = backendsFromEnv(options.backends ?? ['cpu', 'wasm'], options);
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
