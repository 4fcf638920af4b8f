import type { TestBackend } from './config.js';

/** The backend the current vitest project runs on (`GENOISE_TEST_BACKEND`), default `'cpu'`. */
export function testBackend(): TestBackend {
  return (process.env['GENOISE_TEST_BACKEND'] as TestBackend | undefined) ?? 'cpu';
}

/**
 * Called from a package's `vitest.setup.ts` with core's `initBackend`, so this private helper package
 * needs no dependency on `@genoise/core` (which would make the workspace graph cyclic).
 *
 * @example
 * ```ts
 * import { initBackend } from '@genoise/core';
 * import { setupTestBackend } from '@genoise/vitest/setup';
 * await setupTestBackend(initBackend);
 * ```
 */
export async function setupTestBackend(
  initBackend: (options: { prefer: TestBackend; allowSoftware?: boolean }) => Promise<unknown>,
): Promise<void> {
  await initBackend({ prefer: testBackend(), allowSoftware: true });
}
