import { defineConfig } from 'tsup';

// Each benchmark is a plain `node` script; dependencies stay external (the wasm backend finds its
// binaries next to its own files, and @genoise/core registers the gradients).
export default defineConfig({
  entry: [
    'src/convnet-step.bench.ts',
    'src/wasm-kernels.bench.ts',
    'src/augment-throughput.bench.ts',
    'src/simclr-throughput.bench.ts',
    'src/geometry-ops.bench.ts',
    'src/default-step.bench.ts',
  ],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
});
