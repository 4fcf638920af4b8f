import { defineConfig } from 'vitest/config';

// The helpers are backend-agnostic; their own tests run on cpu only (no @genoise/core: that would be a cycle).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], setupFiles: ['./vitest.setup.ts'], pool: 'forks' },
});
