import { defineConfig } from 'tsup';

export default defineConfig({
  // `./node` (file and folder loaders) is a second entry: Node-only code stays out of the browser-safe main entry.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
