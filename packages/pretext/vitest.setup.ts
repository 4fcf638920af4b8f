import { initBackend } from '@genoise/core';
import { setupTestBackend } from '@genoise/vitest/setup';

await setupTestBackend(initBackend);
