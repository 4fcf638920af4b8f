import { setupTestBackend } from '@genoise/vitest/setup';
import { initBackend } from './src/backend/init-backend';

await setupTestBackend(initBackend);
