/**
 * Checks that a package's main entry is browser-safe: bundling it for the browser (esbuild, browser
 * platform, the `@genoise/source` condition so sibling packages are read from `src/`) reaches no Node-only
 * module. Node-only means a Node builtin (`node:fs`, or a bare `fs`), `sharp`, `webgpu` (Dawn) or
 * `@tensorflow/tfjs-node(-gpu)`, imported statically, dynamically (`await import('node:path')`) or by
 * `require`. Such code belongs behind the package's `./node` subpath export.
 *
 * Third-party packages other than those are left external (only their names are checked); genoise
 * packages are followed into their sources. Type-only imports vanish in the bundle and do not count. A
 * computed specifier (`import(name)`) cannot be seen statically and is not reported.
 *
 * esbuild comes from tsup's own dependency (it is installed for every build), resolved at call time.
 *
 * @packageDocumentation
 */
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** One Node-only import reachable from the entry. */
export interface NodeOnlyImport {
  /** The specifier as written, e.g. `'node:fs/promises'` or `'sharp'`. */
  readonly specifier: string;
  /** How it is imported: `'import-statement'`, `'dynamic-import'`, `'require-call'`, ... (esbuild's kinds). */
  readonly kind: string;
  /** The files from the entry to the importing file, relative to the package folder. */
  readonly chain: readonly string[];
}

/** Options of {@link findNodeOnlyImports}. */
export interface BrowserSafeOptions {
  /** The entry to bundle, relative to the package folder. Default `'src/index.ts'`. */
  readonly entry?: string;
}

const BUILTINS = new Set(builtinModules);

/** True for a specifier that only Node can load. */
export function isNodeOnlySpecifier(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  const bare = specifier.split('/')[0]!;
  if (BUILTINS.has(bare) || BUILTINS.has(specifier)) return true;
  return (
    specifier === 'sharp' ||
    specifier.startsWith('sharp/') ||
    specifier === 'webgpu' ||
    specifier.startsWith('webgpu/') ||
    /^@tensorflow\/tfjs-node(-gpu)?(\/|$)/.test(specifier)
  );
}

/** The part of esbuild's API used here (its types are not a dependency of this package). */
interface ResolveArgs {
  readonly path: string;
  readonly importer: string;
  readonly kind: string;
}
interface Esbuild {
  build(options: {
    entryPoints: string[];
    absWorkingDir: string;
    bundle: true;
    write: false;
    metafile: true;
    platform: 'browser';
    format: 'esm';
    conditions: string[];
    logLevel: 'silent';
    plugins: {
      name: string;
      setup(build: {
        onResolve(
          options: { filter: RegExp },
          callback: (args: ResolveArgs) => { path: string; external: boolean } | undefined,
        ): void;
      }): void;
    }[];
  }): Promise<{
    metafile: {
      inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
    };
  }>;
}

async function loadEsbuild(): Promise<Esbuild> {
  const fromTsup = createRequire(createRequire(import.meta.url).resolve('tsup/package.json'));
  return (await import(fromTsup.resolve('esbuild'))) as Esbuild;
}

/**
 * Bundles `entry` of the package in `packageDir` for the browser and returns every Node-only import
 * reachable from it, with the chain of files that reaches it. An empty list means browser-safe.
 *
 * @param packageDir - the package folder (a path or a `file:` URL), e.g. `new URL('..', import.meta.url)`
 */
export async function findNodeOnlyImports(
  packageDir: string | URL,
  { entry = 'src/index.ts' }: BrowserSafeOptions = {},
): Promise<NodeOnlyImport[]> {
  const root = typeof packageDir === 'string' ? packageDir : fileURLToPath(packageDir);
  const esbuild = await loadEsbuild();
  const found: { specifier: string; kind: string; importer: string }[] = [];
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['@genoise/source', 'browser', 'module', 'import'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'genoise-browser-safe',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (isNodeOnlySpecifier(args.path)) {
              found.push({ specifier: args.path, kind: args.kind, importer: args.importer });
              return { path: args.path, external: true };
            }
            const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path);
            if (bare && !args.path.startsWith('@genoise/')) return { path: args.path, external: true };
            return undefined;
          });
        },
      },
    ],
  });
  // The import graph, to name the chain from the entry to each importer (breadth-first: shortest).
  const inputs = result.metafile.inputs;
  const entryKey = Object.keys(inputs).find((k) => path.resolve(root, k) === path.join(root, entry));
  const parent = new Map<string, string | undefined>();
  if (entryKey !== undefined) {
    parent.set(entryKey, undefined);
    const queue = [entryKey];
    while (queue.length > 0) {
      const file = queue.shift()!;
      for (const imported of inputs[file]?.imports ?? []) {
        if (imported.external || parent.has(imported.path)) continue;
        parent.set(imported.path, file);
        queue.push(imported.path);
      }
    }
  }
  const chainTo = (importer: string): string[] => {
    const key = Object.keys(inputs).find((k) => path.resolve(root, k) === importer) ?? importer;
    const chain: string[] = [];
    for (let at: string | undefined = key; at !== undefined; at = parent.get(at)) {
      chain.unshift(path.relative(root, path.resolve(root, at)));
      if (!parent.has(at)) break;
    }
    return chain;
  };
  return found.map(({ specifier, kind, importer }) => ({ specifier, kind, chain: chainTo(importer) }));
}

/** Renders found imports one per line: `node:path (dynamic-import) via src/index.ts > src/a.ts`. */
export function describeNodeOnlyImports(found: readonly NodeOnlyImport[]): string {
  return found.map((f) => `${f.specifier} (${f.kind}) via ${f.chain.join(' > ')}`).join('\n');
}

/**
 * Fails (a vitest assertion) naming every Node-only import reachable from the package's main entry.
 *
 * @example
 * ```ts
 * it('the main entry is browser-safe', () => expectBrowserSafe(new URL('..', import.meta.url)), 60_000);
 * ```
 */
export async function expectBrowserSafe(
  packageDir: string | URL,
  options?: BrowserSafeOptions,
): Promise<void> {
  const found = await findNodeOnlyImports(packageDir, options);
  expect(
    describeNodeOnlyImports(found),
    `${options?.entry ?? 'src/index.ts'} reaches Node-only imports; move them behind the package's ./node entry`,
  ).toBe('');
}
