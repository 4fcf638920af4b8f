import { expectBrowserSafe } from '@genoise/vitest/browser-safe';
import { describe, it } from 'vitest';

describe('@genoise/losses main entry', () => {
  it('reaches no Node-only import (bundled for the browser)', async () => {
    await expectBrowserSafe(new URL('..', import.meta.url));
  }, 60_000);
});
