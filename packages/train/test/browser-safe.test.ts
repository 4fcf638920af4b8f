import {
  describeNodeOnlyImports,
  findNodeOnlyImports,
  type NodeOnlyImport,
} from '@genoise/vitest/browser-safe';
import { describe, expect, it } from 'vitest';

// Acceptance point 4: the main entry is browser-safe. The shared checker bundles src/index.ts as a
// browser app would (esbuild, platform 'browser', the '@genoise/source' condition, siblings followed
// into their sources) and lists every Node-only import it reaches (node: and bare builtins, sharp,
// Dawn's `webgpu`, tfjs-node), static or dynamic, with the chain of files that reaches it.

const PACKAGE = new URL('../', import.meta.url);
const MOVE = "reaches Node-only imports; move them behind the package's ./node entry";

describe('the main entry in a browser bundle', () => {
  let main: Promise<NodeOnlyImport[]> | undefined;
  const mainImports = () => {
    main ??= findNodeOnlyImports(PACKAGE);
    return main;
  };

  it('imports no Node-only code from this package', { timeout: 120_000 }, async () => {
    const own = (await mainImports()).filter((f) => f.chain.at(-1)?.startsWith('src/'));
    expect(describeNodeOnlyImports(own), `src/index.ts ${MOVE}`).toBe('');
  });

  it('nor from the sibling packages it reaches', { timeout: 120_000 }, async () => {
    expect(describeNodeOnlyImports(await mainImports()), `src/index.ts ${MOVE}`).toBe('');
  });

  it('while the ./node entry has them, and the checker sees them', { timeout: 120_000 }, async () => {
    const found = await findNodeOnlyImports(PACKAGE, { entry: 'src/node/index.ts' });
    expect(found).toContainEqual({
      specifier: 'node:fs/promises',
      kind: 'dynamic-import',
      chain: ['src/node/index.ts', 'src/node/checkpoint-folder.ts'],
    });
  });
});
