import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;

/** One HTML page per demo (TensorFlow Playground's "one screen per idea"). */
export const PAGES = ['index', 'augment', 'contrastive', 'geometry', 'bench'] as const;

// The studio imports the genoise packages through their public entry points only. The `@genoise/source`
// condition (every package's `exports` has it) points those entries at `src/`, so `dev`, `build` and the
// e2e tests need no prior build of the siblings; `STUDIO_USE_DIST=1` consumes their built `dist/`
// exactly as an app installing them from npm would.
const conditions = process.env.STUDIO_USE_DIST === '1' ? [] : ['@genoise/source'];

/** Packages that only run in Node (native addons, Dawn). */
const NODE_ONLY_PACKAGES = ['sharp', 'webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'];

/**
 * Fails the build when the browser bundle reaches Node-only code: a Node-only package, or a `node:`
 * built-in imported by a genoise package. Every genoise main entry is browser-safe and keeps such code
 * behind its `./node` subpath (`@genoise/core/node`, `@genoise/data/node`, `@genoise/train/node`, ...),
 * which the studio never imports, so the studio needs no alias or stub; the error names each importer,
 * so a regression points at the file to move.
 */
function browserSafeGuard(): Plugin {
  const offenders = new Set<string>();
  const workspace = `${resolve(root, '../..')}/`;
  return {
    name: 'genoise:browser-safe',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined || importer.includes('/node_modules/')) return null;
      const bare = source
        .split('/')
        .slice(0, source.startsWith('@') ? 2 : 1)
        .join('/');
      if (
        NODE_ONLY_PACKAGES.includes(bare) ||
        (source.startsWith('node:') && importer.includes('/packages/'))
      )
        offenders.add(`${importer.replace(workspace, '')} imports '${source}'`);
      return null;
    },
    buildEnd() {
      if (offenders.size > 0)
        this.error(
          `the studio's bundle reaches Node-only code through a genoise main entry (move it behind the package's ./node subpath):\n  ${[...offenders].join('\n  ')}`,
        );
    },
  };
}

export default defineConfig({
  plugins: [browserSafeGuard()],
  root,
  base: './',
  resolve: {
    conditions: [...conditions, ...defaultClientConditions],
  },
  worker: { format: 'es', plugins: () => [browserSafeGuard()] },
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
