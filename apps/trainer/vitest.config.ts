import { defineBackendMatrix } from '@genoise/vitest/config';

// The CLI runs on wasm (its default here); its own logic is backend-independent.
export default defineBackendMatrix({ backends: ['wasm'], testTimeout: 600_000 });
