import { expectBrowserSafe, findNodeOnlyImports } from '@genoise/vitest/browser-safe';
import { describe, expect, it } from 'vitest';

const packageDir = new URL('..', import.meta.url);

describe('@genoise/core entries', () => {
  it('the main entry reaches no Node-only import (bundled for the browser)', async () => {
    await expectBrowserSafe(packageDir);
  }, 60_000);

  it('the ./node entry reaches Node-only code (Dawn, child processes)', async () => {
    const found = await findNodeOnlyImports(packageDir, { entry: 'src/node.ts' });
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.chain[0]).toBe('src/node.ts');
  }, 60_000);
});
