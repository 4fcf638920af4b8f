import type { LoadReport } from '../dataset/dataset';
import type { Uint8Dataset } from '../dataset/uint8-dataset';

/**
 * The seed of the fixed train/test split of both embedded sets (the Fashion-MNIST paper's date):
 * class `c` is permuted by `permutationValues(foldIn(createKey(EMBEDDED_SPLIT_SEED), c), n_c)`.
 *
 * @example
 * ```ts
 * console.log(`split seed ${EMBEDDED_SPLIT_SEED}`); // log it with a run's config
 * ```
 */
export const EMBEDDED_SPLIT_SEED = 20170825;

/** Which examples of an embedded set: the fixed train or test part, or both (train first). */
export type EmbeddedSplit = 'train' | 'test' | 'all';

/**
 * Options of {@link loadFashionMnist} and {@link loadMnist}.
 *
 * @example
 * ```ts
 * const options: EmbeddedOptions = { split: 'test', limit: 1000, onWarning: () => {} };
 * ```
 */
export interface EmbeddedOptions {
  /** Which part of the fixed split. Default `'train'`. */
  readonly split?: EmbeddedSplit;
  /** At most this many examples: a class-balanced prefix of the split. Default: all. */
  readonly limit?: number | undefined;
  /** Receives one summary line per file with skipped records. Default `console.warn`. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** The package's root folder (holding `package.json` and `src/`). Default: resolved from this module. */
  readonly root?: string | undefined;
}

/**
 * A dataset loaded from an embedded package: a {@link Uint8Dataset} with labels, class names, its
 * `split`, and `report` (records loaded and skipped by reason, over all files read).
 *
 * @example
 * ```ts
 * const test: EmbeddedDataset = await loadMnist({ split: 'test' });
 * console.log(test.report.skipped); // {}
 * ```
 */
export interface EmbeddedDataset extends Uint8Dataset {
  readonly split: EmbeddedSplit;
  readonly report: LoadReport;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  readonly labels: Int32Array;
}
