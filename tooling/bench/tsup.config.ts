import { defineConfig } from 'tsup';

// Bundled so the benchmarks run in plain `node`: tfjs-core's `register_all_gradients` uses
// extensionless ESM imports that Node cannot resolve, so it is bundled (its modules share tfjs-core's
// global engine and registries); the tfjs packages themselves stay external, so the wasm backend
// finds its binaries next to its own files.
export default defineConfig({
  entry: ['src/convnet-step.bench.ts', 'src/wasm-kernels.bench.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  noExternal: [/register_all_gradients/],
});
