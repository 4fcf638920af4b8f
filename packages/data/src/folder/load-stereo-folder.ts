import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoadReport } from '../dataset/dataset';
import { type Uint8Dataset, uint8Dataset } from '../dataset/uint8-dataset';
import { checkIndices } from '../internal/checks';
import { decodeImages } from '../internal/decode-images';
import {
  checkGeometryOptions,
  type GeometryFolderOptions,
  intrinsicsFor,
  listFolder,
  readIntrinsicsIn,
} from '../internal/geometry-folder';
import { loadSharp } from '../internal/load-sharp';

/** Options of {@link loadStereoFolder}. */
export type StereoFolderOptions = GeometryFolderOptions;

/** Rectified stereo pairs read from a folder. As a {@link Dataset} its examples are the left images. */
export interface StereoFolderDataset extends Uint8Dataset {
  /** The right images, in the same order. */
  readonly right: Uint8Dataset;
  /** The left and right file of each pair. */
  readonly files: readonly { readonly left: string; readonly right: string }[];
  /** Intrinsics `[3, 3]` for the resized images when the folder has an intrinsics file, else `undefined`. */
  readonly K: Float32Array | undefined;
  /** The baseline from the intrinsics file, when it gives one, else `undefined`. */
  readonly baseline: number | undefined;
  /** `loaded` pairs; `skipped` counts `'unreadable-file'` and `'unmatched'` (a file with no partner). */
  readonly report: LoadReport;
  /** Pairs `indices` as float32 `[n, H, W, 3]` tensors the caller disposes. */
  pairs(indices: ArrayLike<number>): { readonly left: tf.Tensor4D; readonly right: tf.Tensor4D };
}

const OP = 'loadStereoFolder';

/**
 * Loads rectified stereo pairs (for Monodepth-style training) with `sharp` (an optional peer
 * dependency). **Node only.** Layout: `dir/left/` and `dir/right/` hold images with matching file
 * names; a name found on one side only is skipped with a warning (`'unmatched'`), and a pair with an
 * unreadable or corrupt file is skipped with a warning naming the file. Images are stretched to
 * `size`. An optional intrinsics file in `dir` (`intrinsics.json`, `intrinsics.txt` or `K.txt`, see
 * {@link parseIntrinsics}; JSON may add `"baseline"`) gives `K` scaled to `size` and `baseline`.
 * Disparities are then `x_right = x_left - d_left` in pixels of the resized images.
 *
 * @param dir - the folder with `left/` and `right/`
 * @param options - see {@link GeometryFolderOptions}; `size: [height, width]` is required
 * @returns a {@link StereoFolderDataset}: `images(indices)` the left images, `pairs(indices)`
 *   `{ left, right }` `[n, H, W, 3]`, `right`, `files`, `K`, `baseline`, `report`
 * @throws ArgumentError for a bad option, a missing `left/` or `right/` folder, or no decodable pair;
 *   GenoiseError naming the install command when `sharp` is not installed
 * @example
 * ```ts
 * const stereo = await loadStereoFolder('rig/', { size: [128, 416] }); // rig/left/*.png, rig/right/*.png
 * const { left, right } = stereo.pairs([0, 1]);
 * tf.dispose([left, right]);
 * ```
 */
export async function loadStereoFolder(
  dir: string,
  options: StereoFolderOptions,
): Promise<StereoFolderDataset> {
  const s = checkGeometryOptions(OP, dir, options);
  const sharp = await loadSharp(OP);
  const { basename, join, resolve } = await import('node:path');
  const top = await listFolder(OP, dir, s.extensions);
  for (const side of ['left', 'right']) {
    if (!top.folders.includes(side)) {
      throw new ArgumentError({
        op: OP,
        argument: 'dir',
        message: `${OP}: ${dir} has no '${side}' sub-folder; expected ${join(dir, 'left')} and ${join(dir, 'right')} with matching file names.`,
      });
    }
  }
  const leftNames = (await listFolder(OP, join(dir, 'left'), s.extensions)).images;
  const rightNames = (await listFolder(OP, join(dir, 'right'), s.extensions)).images;
  const rightSet = new Set(rightNames);
  const leftSet = new Set(leftNames);
  let unmatched = 0;
  for (const [names, other, side] of [
    [leftNames, rightSet, 'left'],
    [rightNames, leftSet, 'right'],
  ] as const) {
    for (const name of names) {
      if (!other.has(name)) {
        s.onWarning(
          `${OP}: skipped ${join(dir, side, name)}: no ${side === 'left' ? 'right' : 'left'} image of that name.`,
        );
        unmatched++;
      }
    }
  }
  const names = leftNames.filter((n) => rightSet.has(n));
  const decodeSettings = { height: s.height, width: s.width, channels: 3, fit: 'fill' } as const;
  const leftFiles = names.map((n) => join(dir, 'left', n));
  const rightFiles = names.map((n) => join(dir, 'right', n));
  const lefts = await decodeImages(sharp, leftFiles, decodeSettings, OP, s.onWarning, s.concurrency);
  const rights = await decodeImages(sharp, rightFiles, decodeSettings, OP, s.onWarning, s.concurrency);
  const unreadable =
    lefts.filter((x) => x === undefined).length + rights.filter((x) => x === undefined).length;
  const kept = names.flatMap((_, i) => (lefts[i] && rights[i] ? [i] : []));
  if (kept.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'dir',
      message: `${OP}: ${dir} has no decodable stereo pair (${names.length} matching names).`,
    });
  }
  const length = s.height * s.width * 3;
  const pack = (images: (Uint8Array | undefined)[]) => {
    const out = new Uint8Array(kept.length * length);
    kept.forEach((i, k) => {
      out.set(images[i]!, k * length);
    });
    return out;
  };
  const name = basename(resolve(dir));
  const imageShape = [s.height, s.width, 3] as const;
  const left = uint8Dataset({ name: `${name}/left`, pixels: pack(lefts), imageShape });
  const right = uint8Dataset({ name: `${name}/right`, pixels: pack(rights), imageShape });
  const intrinsics = await readIntrinsicsIn(dir);
  const K = intrinsics && (await intrinsicsFor(sharp, intrinsics, leftFiles[kept[0]!]!, s.height, s.width));
  return Object.freeze({
    ...left,
    name,
    right,
    files: Object.freeze(kept.map((i) => Object.freeze({ left: leftFiles[i]!, right: rightFiles[i]! }))),
    K,
    baseline: intrinsics?.baseline,
    report: Object.freeze({
      loaded: kept.length,
      skipped: Object.freeze({
        ...(unreadable > 0 ? { 'unreadable-file': unreadable } : {}),
        ...(unmatched > 0 ? { unmatched } : {}),
      }),
    }),
    pairs(indices: ArrayLike<number>) {
      const checked = checkIndices(indices, kept.length, `${name}.pairs`);
      return tf.tidy(`${OP}.pairs`, () => ({ left: left.images(checked), right: right.images(checked) }));
    },
  });
}
