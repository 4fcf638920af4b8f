import { resolve } from 'node:path';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

const root = import.meta.dirname;

/** One HTML page per demo (TensorFlow Playground's "one screen per idea"). */
export const PAGES = ['index', 'augment', 'contrastive', 'pretext', 'geometry', 'bench'] as const;

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

/**
 * Lets tfjs-backend-wasm's threaded build survive minification. tfjs starts each pthread worker from
 * `factory.toString()` (a Blob), so the factory must not reach its enclosing closure; it reads one
 * variable from there, Emscripten's `_scriptDir`, only behind `typeof _scriptDir !== "undefined"`. The
 * minifier renames it and, seeing a declared local, drops the `typeof` guard, so the worker throws
 * `ReferenceError: e is not defined` and the backend never starts. In a browser ES-module bundle
 * `_scriptDir` is always undefined (`document.currentScript` is null for modules; no `__filename`), so
 * the two reads are replaced by that value: nothing changes except that the worker starts.
 */
function tfjsWasmThreadsFix(): Plugin {
  const file = /tfjs-backend-wasm[/\\]wasm-out[/\\]tfjs-backend-wasm-threaded-simd\.js$/;
  const reads: readonly [string, string][] = [
    ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
    ['"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir,', '"urlOrBlob":Module["mainScriptUrlOrBlob"],'],
  ];
  return {
    name: 'genoise:tfjs-wasm-threads',
    apply: 'build',
    transform(code, id) {
      if (!file.test(id.split('?')[0]!)) return null;
      let out = code;
      for (const [from, to] of reads) {
        if (!out.includes(from))
          this.error(`tfjs-backend-wasm's threaded factory changed: '${from}' not found in ${id}`);
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}

/**
 * Cross-origin isolation (COOP + COEP) for the dev server and `vite preview`: it gives the pages
 * SharedArrayBuffer, so tfjs-backend-wasm loads its threaded SIMD build and runs XNNPACK on a thread pool
 * (`crossOriginIsolated` is true in the page and `WASM_HAS_MULTITHREAD_SUPPORT` in tfjs' env). Every asset
 * the pages load is same-origin (scripts, workers, the wasm binaries, `public/data`), so `require-corp`
 * blocks nothing. A static host serving `dist/` needs the same two headers for threads; without them wasm
 * runs on one thread, as before. `STUDIO_ISOLATION=0` serves without them (to compare).
 */
export const ISOLATION_HEADERS: Record<string, string> =
  process.env.STUDIO_ISOLATION === '0'
    ? {}
    : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [browserSafeGuard(), tfjsWasmThreadsFix()],
  root,
  base: './',
  resolve: {
    conditions: [...conditions, ...defaultClientConditions],
  },
  worker: {
    format: 'es',
    plugins: () => [browserSafeGuard(), tfjsWasmThreadsFix()],
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: Object.fromEntries(PAGES.map((page) => [page, resolve(root, `${page}.html`)])),
    },
  },
  server: { port: 5173, headers: { ...ISOLATION_HEADERS } },
  preview: { port: 4173, headers: { ...ISOLATION_HEADERS } },
});
