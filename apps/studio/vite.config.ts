import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig } from 'vite';

const root = import.meta.dirname;

/** One HTML page per demo (TensorFlow Playground's "one screen per idea"). */
export const PAGES = ['index', 'augment', 'contrastive', 'geometry', 'bench'] as const;

// The studio imports the genoise packages through their public entry points only. The `@genoise/source`
// condition (every package's `exports` has it) points those entries at `src/`, so `dev`, `build` and the
// e2e tests need no prior build of the siblings; `STUDIO_USE_DIST=1` consumes their built `dist/`
// exactly as an app installing them from npm would.
const conditions = process.env.STUDIO_USE_DIST === '1' ? [] : ['@genoise/source'];

export default defineConfig({
  root,
  base: './',
  resolve: {
    conditions: [...conditions, ...defaultClientConditions],
    // Node-only optional dependencies reached through lazy imports in the libraries (never called in a
    // browser): keep them out of the bundle. See src/shell/node-only.ts.
    alias: {
      sharp: resolve(root, 'src/shell/node-only.ts'),
      webgpu: resolve(root, 'src/shell/node-only.ts'),
    },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: Object.fromEntries(PAGES.map((page) => [page, resolve(root, `${page}.html`)])),
    },
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
