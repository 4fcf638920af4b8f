import { expectBrowserSafe, findNodeOnlyImports } from '@genoise/vitest/browser-safe';
import { describe, expect, it } from 'vitest';

const packageDir = new URL('..', import.meta.url);

describe('@genoise/data entries', () => {
  it('the main entry reaches no Node-only import (bundled for the browser)', async () => {
    await expectBrowserSafe(packageDir);
  }, 60_000);

  it('the ./node entry does reach them (the check sees dynamic node: imports and sharp)', async () => {
    const found = await findNodeOnlyImports(packageDir, { entry: 'src/node.ts' });
    const specifiers = new Set(found.map((f) => f.specifier));
    expect(specifiers.has('node:fs/promises')).toBe(true);
    expect(specifiers.has('node:path')).toBe(true);
    expect(specifiers.has('sharp')).toBe(true);
    const sharp = found.find((f) => f.specifier === 'sharp')!;
    expect(sharp.kind).toBe('dynamic-import');
    expect(sharp.chain[0]).toBe('src/node.ts');
    expect(sharp.chain.at(-1)).toBe('src/internal/load-sharp.ts');
  }, 60_000);
});
