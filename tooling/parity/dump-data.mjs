// Writes the embedded Fashion-MNIST (or MNIST) split exactly as genoise loads it
// (`loadFashionMnist({ split })` from @genoise/data: same images, same train/test split, same order)
// to raw files the PyTorch copy reads: <out>/<name>-<split>-images.u8 ([N, 28, 28] bytes) and
// <out>/<name>-<split>-labels.u8 ([N] bytes). Needs the packages built (`pnpm bench` builds them).
//
// Usage: node tooling/parity/dump-data.mjs [fashion-mnist|mnist] [outDir]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// @genoise/data and the data packages are dependencies of the bench package; resolve them from there.
const require = createRequire(join(here, '..', 'bench', 'package.json'));
await import(pathToFileURL(require.resolve('@tensorflow/tfjs-backend-cpu')).href); // a backend for tensors
// The embedded loaders live in the Node-only entry `@genoise/data/node` (the main entry before issue 9).
const entry = (() => {
  try {
    return require.resolve('@genoise/data/node');
  } catch {
    return require.resolve('@genoise/data');
  }
})();
const data = await import(pathToFileURL(entry).href);
const name = process.argv[2] ?? 'fashion-mnist';
const out = resolve(process.argv[3] ?? join(here, '..', '..', 'bench-results', 'parity-data'));
mkdirSync(out, { recursive: true });
const load = name === 'mnist' ? data.loadMnist : data.loadFashionMnist;
const root = dirname(require.resolve(`${name}/package.json`));
for (const split of ['train', 'test']) {
  const dataset = await load({ split, root });
  const n = dataset.size;
  const indices = Array.from({ length: n }, (_, i) => i);
  const images = dataset.images(indices); // [N, 28, 28, 1] float32 in [0, 1]
  const values = await images.data();
  images.dispose();
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round(values[i] * 255);
  writeFileSync(join(out, `${name}-${split}-images.u8`), bytes);
  writeFileSync(join(out, `${name}-${split}-labels.u8`), Uint8Array.from(dataset.labels));
  console.log(`${name}/${split}: ${n} images -> ${out}`);
}
