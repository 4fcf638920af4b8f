import { defineBackendMatrix } from '@genoise/vitest/config';

export default defineBackendMatrix();
