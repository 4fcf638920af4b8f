import { defineConfig } from 'tsup';

export default defineConfig({
  // `./node` (Dawn) is a second entry: Node-only code stays out of the browser-safe main entry.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core's gradient files use extensionless ESM imports that plain Node cannot load, so the
  // registration is bundled into dist (as the @tensorflow/tfjs umbrella does); the engine itself stays
  // external and is shared through tfjs' global registry.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
