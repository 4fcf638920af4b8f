import {
  ArgumentError,
  checkImages,
  checkOptions,
  defineOp,
  type Key,
  randintValues,
  ShapeError,
  splitKey,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkProbability, checkTaskKey } from '../internal/checks';
import { gatherPatches, grayFlags, grayWhere, standardizePatches } from '../internal/patches';
import type { JigsawPermutationSet } from './jigsaw-permutations';

/** Options of {@link jigsawTask}. */
export interface JigsawTaskOptions {
  /** The permutation set ({@link jigsawPermutations}) or its rows, each a permutation of 0..8. */
  readonly permutations: JigsawPermutationSet | readonly (readonly number[])[];
  /** Side of each square tile, at most the cell side `min(H, W) / 3`. Default `round(cell * 64 / 85)` (the paper's 64 px tiles in 85 px cells). */
  readonly tileSize?: number;
  /** Place each tile at a random offset inside its cell (default true); false centres it. */
  readonly jitter?: boolean;
  /** Probability of turning a (3-channel) image grey before tiling. Default 0.3 (the authors' code). */
  readonly grayscale?: number;
  /** Standardise each tile and channel by its own mean and standard deviation. Default true. */
  readonly normalize?: boolean;
}

/** What {@link jigsawTask} builds. */
export type JigsawTask = {
  /** `[B, 9, T, T, C]` tiles, position `k` holding tile `permutations[targets[b]][k]` (row-major numbering). */
  readonly inputs: tf.Tensor;
  /** `[B]` int32 permutation indices into the set. */
  readonly targets: tf.Tensor1D;
  /** `[B * 9 * 2]` each tile's (y, x) offset inside its cell, sample-major then tile (row-major). */
  readonly offsets: Int32Array;
  /** `[B]` 1 where the image was turned grey. */
  readonly gray: Uint8Array;
};

const OP = 'jigsawTask';
const GRID = 3;

function permutationRows(value: unknown): readonly (readonly number[])[] {
  const rows =
    value !== null && typeof value === 'object' && 'permutations' in (value as object)
      ? (value as JigsawPermutationSet).permutations
      : value;
  if (!Array.isArray(rows) || rows.length < 2) {
    throw new ArgumentError({
      op: OP,
      argument: 'permutations',
      expected: 'at least 2 permutations of 0..8 (a jigsawPermutations set or an array of rows)',
      actual: Array.isArray(rows) ? `${rows.length} permutation(s)` : String(rows),
    });
  }
  rows.forEach((row, i) => {
    const ok =
      Array.isArray(row) && row.length === 9 && [...row].sort((a, b) => a - b).every((v, k) => v === k);
    if (!ok) {
      throw new ArgumentError({
        op: OP,
        argument: `permutations[${i}]`,
        expected: 'a permutation of 0..8',
        actual: Array.isArray(row) ? `[${row.join(',')}]` : String(row),
      });
    }
  });
  return rows as readonly (readonly number[])[];
}

/**
 * The jigsaw puzzle task (Noroozi & Favaro 2016): cut each image into a 3x3 grid of cells, take one
 * `T x T` tile per cell at a random offset (the gap between tiles and the jitter break edge continuity),
 * optionally turn the image grey (p 0.3) and standardise each tile by its own statistics (against
 * low-level shortcuts), then shuffle the 9 tiles by a permutation drawn from the set; the label is that
 * permutation's index. Tiles are numbered row-major (tile `3i + j` is row `i`, column `j`), and output
 * position `k` holds tile `perm[k]`, as the authors' loader does, so the identity permutation with full
 * cells and no jitter reassembles the image ({@link assembleTiles}).
 *
 * Departs from the paper: no 255 px random crop (crop or resize before); `H` and `W` must be multiples
 * of 3; cells are `H/3 x W/3` and tiles square.
 *
 * @param key - draws the grey flags, the tile offsets and the permutation of each sample
 * @param images - float32 `[B, H, W, C]`, `H` and `W` multiples of 3
 * @param options - `permutations` (required), `tileSize`, `jitter` (true), `grayscale` (0.3), `normalize` (true)
 * @returns `{ inputs, targets, offsets, gray }`, see {@link JigsawTask}
 * @throws ShapeError when `H` or `W` is not a multiple of 3; ArgumentError for fewer than 2 permutations,
 *   a row that is not a permutation of 0..8, or a tile larger than a cell
 * @example
 * ```ts
 * const set = jigsawPermutations({ count: 100, first: 0 });
 * const { inputs, targets } = jigsawTask(createKey(1), images, { permutations: set }); // [B, 9, T, T, C], [B]
 * ```
 * @see Noroozi & Favaro 2016, https://arxiv.org/abs/1603.09246; bbrattoli/JigsawPuzzlePytorch
 */
export const jigsawTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options: JigsawTaskOptions): JigsawTask => {
    checkTaskKey(OP, key);
    const {
      permutations,
      tileSize,
      jitter = true,
      grayscale = 0.3,
      normalize = true,
    } = checkOptions(options, ['permutations', 'tileSize', 'jitter', 'grayscale', 'normalize'], { op: OP });
    const rows = permutationRows(permutations);
    const dims = checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
    const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    if (H % GRID !== 0 || W % GRID !== 0) {
      throw new ShapeError({
        op: OP,
        argument: 'images',
        expected: 'height and width multiples of 3',
        actual: `[${images.shape.join(',')}]`,
        message: `${OP}: 'images' has shape [${images.shape.join(',')}] but its height and width must be multiples of 3 (3x3 cells); crop to [B,${H - (H % GRID)},${W - (W % GRID)},${C}] first.`,
      });
    }
    const cellH = H / GRID;
    const cellW = W / GRID;
    const cell = Math.min(cellH, cellW);
    const size = tileSize === undefined ? Math.max(1, Math.round((cell * 64) / 85)) : tileSize;
    checkInteger(OP, 'tileSize', size, 1, cell);
    checkProbability(OP, 'grayscale', grayscale);

    const [grayKey, offsetKey, labelKey] = splitKey(key, 3) as [Key, Key, Key];
    const gray = grayFlags(grayKey, B, grayscale, C);
    const offsets = new Int32Array(B * 9 * 2);
    if (jitter) {
      const ys = randintValues(offsetKey, B * 9, 0, cellH - size + 1);
      const xs = randintValues(splitKey(offsetKey)[1]!, B * 9, 0, cellW - size + 1);
      for (let i = 0; i < B * 9; i++) {
        offsets[2 * i] = ys[i]!;
        offsets[2 * i + 1] = xs[i]!;
      }
    } else {
      for (let i = 0; i < B * 9; i++) {
        offsets[2 * i] = Math.floor((cellH - size) / 2);
        offsets[2 * i + 1] = Math.floor((cellW - size) / 2);
      }
    }
    const labels = randintValues(labelKey, B, 0, rows.length);
    const sources = new Int32Array(B * 9);
    const tops = new Int32Array(B * 9);
    const lefts = new Int32Array(B * 9);
    for (let b = 0; b < B; b++) {
      const perm = rows[labels[b]!]!;
      for (let k = 0; k < 9; k++) {
        const tile = perm[k]!;
        const i = b * 9 + k;
        sources[i] = b;
        tops[i] = Math.floor(tile / GRID) * cellH + offsets[2 * (b * 9 + tile)]!;
        lefts[i] = (tile % GRID) * cellW + offsets[2 * (b * 9 + tile) + 1]!;
      }
    }
    const source = grayWhere(images as tf.Tensor4D, gray);
    // Standardised while rank 4 ([9B, T, T, C]): WebGPU has no rank-5 Where.
    let patches: tf.Tensor = gatherPatches(source, sources, tops, lefts, size);
    if (normalize) patches = standardizePatches(patches, [1, 2]);
    const tiles = tf.reshape(patches, [B, 9, size, size, C]);
    return { inputs: tiles, targets: tf.tensor1d(labels, 'int32'), offsets, gray };
  },
);
