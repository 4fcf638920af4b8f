import { expectBrowserSafe, findNodeOnlyImports } from '@genoise/vitest/browser-safe';
import { describe, expect, it } from 'vitest';

const packageDir = new URL('..', import.meta.url);

describe('@genoise/models entries', () => {
  it('the main entry reaches no Node-only import (bundled for the browser)', async () => {
    await expectBrowserSafe(packageDir);
  }, 60_000);

  it('the ./node entry reaches node:fs (the model folders)', async () => {
    const found = await findNodeOnlyImports(packageDir, { entry: 'src/node.ts' });
    const fromFolders = found.filter((f) => f.chain.at(-1) === 'src/internal/folder-handler.ts');
    expect(fromFolders.map((f) => f.specifier).sort()).toEqual(['node:fs/promises', 'node:path']);
    expect(fromFolders[0]!.chain[0]).toBe('src/node.ts');
  }, 60_000);
});
