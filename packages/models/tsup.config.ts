import { defineConfig } from 'tsup';

export default defineConfig({
  // `./node` (model folders through node:fs) is a second entry: the main entry stays browser-safe.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
