import { builtinModules, createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Acceptance point 4: the main entry is browser-safe. esbuild bundles src/index.ts as a browser app
// would (platform 'browser', conditions '@genoise/source' and 'browser'); every import of Node-only
// code is recorded with its importer: node: and bare builtins, sharp, Dawn's `webgpu`, tfjs-node.
// tfjs-core and tfjs-layers are peers (the app's), left external.

const require = createRequire(import.meta.url);
/** The part of esbuild's API used here (esbuild's own types are not this package's dependency). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ metafile: { inputs: Record<string, unknown> } }>;
}
interface ResolveArgs {
  readonly path: string;
  readonly importer: string;
}
interface PluginBuild {
  onResolve(
    options: { filter: RegExp },
    callback: (args: ResolveArgs) => { path: string; external: boolean } | undefined,
  ): void;
}
/** esbuild, a dependency of tsup (this package's build), not of the package itself. */
function loadEsbuild(): Esbuild {
  try {
    return require(require.resolve('esbuild')) as Esbuild;
  } catch {
    return require(require.resolve('esbuild', { paths: [dirname(require.resolve('tsup'))] })) as Esbuild;
  }
}

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const PEERS = /^@tensorflow\/tfjs-(core|layers|backend-cpu|backend-wasm|backend-webgl|backend-webgpu)(\/|$)/;

function nodeOnly(path: string): boolean {
  return (
    path.startsWith('node:') ||
    BUILTINS.has(path.split('/')[0]!) ||
    /^(sharp|webgpu)(\/|$)/.test(path) ||
    /^@tensorflow\/tfjs-node(-gpu)?(\/|$)/.test(path)
  );
}

async function browserBundle(entry: string) {
  const esbuild = loadEsbuild();
  const found: string[] = [];
  const result = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: PACKAGE,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@genoise/source', 'browser'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-node-only',
        setup(build: PluginBuild) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (PEERS.test(args.path)) return { path: args.path, external: true };
            if (nodeOnly(args.path)) {
              found.push(`${args.path} <- ${relative(ROOT, args.importer)}`);
              return { path: args.path, external: true };
            }
            return undefined;
          });
        },
      },
    ],
  });
  return { found, inputs: Object.keys(result.metafile.inputs) };
}

describe('the main entry in a browser bundle', () => {
  let main: ReturnType<typeof browserBundle> | undefined;
  const mainBundle = () => {
    main ??= browserBundle('src/index.ts');
    return main;
  };

  it('imports no Node-only code from this package (node:, builtins, sharp, webgpu, tfjs-node)', {
    timeout: 120_000,
  }, async () => {
    const { found, inputs } = await mainBundle();
    // The bundle is made of the sources (the '@genoise/source' condition), this package's loop among them.
    expect(inputs).toContain('src/loop/fit.ts');
    expect(inputs.some((i) => i.includes('core/src/'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('src/node/'))).toEqual([]);
    expect(found.filter((f) => f.includes('<- packages/train/'))).toEqual([]);
  });

  it('nor from the sibling packages it reaches', { timeout: 120_000 }, async () => {
    const { found } = await mainBundle();
    expect(found).toEqual([]);
  });

  it('catches Node-only imports (the node entry has them)', { timeout: 120_000 }, async () => {
    const { found } = await browserBundle('src/node/index.ts');
    expect(found).toEqual(
      expect.arrayContaining(['node:fs/promises <- packages/train/src/node/checkpoint-folder.ts']),
    );
  });
});
