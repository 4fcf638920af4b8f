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

/** Options of {@link loadFrameSequences}. */
export type FrameSequencesOptions = GeometryFolderOptions;

/** Three consecutive frames and their intrinsics, as tensors the caller disposes. */
export interface FrameTriplet {
  /** Frames `i - 1`, `i`, `i + 1`, float32 `[n, H, W, 3]` in [0, 1]. */
  readonly previous: tf.Tensor4D;
  readonly target: tf.Tensor4D;
  readonly next: tf.Tensor4D;
  /** Intrinsics for the resized frames, float32 `[n, 3, 3]`. */
  readonly K: tf.Tensor3D;
}

/**
 * Consecutive-frame triplets read from folders of video frames. As a {@link Dataset} its examples are
 * the triplets' **target** (middle) frames, so {@link batches} can shuffle and batch it; `triplets`
 * gives the whole triplet for a batch's `indices`.
 */
export interface FrameSequencesDataset extends Uint8Dataset {
  /** Every decoded frame, `[frames, H, W, 3]`, in sequence and name order. */
  readonly frames: Uint8Dataset;
  /** The frame indices (into `frames`) of each triplet, `[size, 3]`: previous, target, next. */
  readonly tripletFrames: Int32Array;
  /** The intrinsics of each triplet for the resized frames, `[size, 3, 3]`. */
  readonly K: Float32Array;
  /** The path of each decoded frame, in `frames` order. */
  readonly files: readonly string[];
  /** The sequence folders, with their first frame and frame count in `frames`. */
  readonly sequences: readonly { readonly dir: string; readonly start: number; readonly count: number }[];
  /** `loaded` frames; `skipped` counts `'unreadable-file'` frames and `'no-intrinsics'` sequences. */
  readonly report: LoadReport;
  /** The triplets `indices` as tensors the caller disposes. */
  triplets(indices: ArrayLike<number>): FrameTriplet;
}

const OP = 'loadFrameSequences';

/**
 * Loads folders of video frames as consecutive-frame triplets `(i - 1, i, i + 1)` for self-supervised
 * depth and ego-motion (SfMLearner, Monodepth2) with `sharp` (an optional peer dependency). **Node only.**
 *
 * Layout: either `dir` itself is one sequence (image files directly in it) or each sub-folder of `dir`
 * is one (sorted by name; `dir`'s own images are then ignored). In a sequence the frames are its image
 * files sorted by name. Each sequence needs an intrinsics file, `intrinsics.json`, `intrinsics.txt` or
 * `K.txt` in its folder or else in `dir` (format: see {@link parseIntrinsics}); `K` refers to the
 * file's `width` x `height` if given, else to the sequence's native frame size, and is scaled to
 * `size` (frames are stretched to `size`, so the scaling is exact). A sequence without intrinsics is
 * skipped with a warning.
 *
 * An unreadable or corrupt frame is skipped with a warning naming the file, and no triplet uses it
 * (triplets never bridge a gap); a triplet is three neighbours in the sorted listing.
 *
 * @param dir - the folder
 * @param options - see {@link GeometryFolderOptions}; `size: [height, width]` is required
 * @returns a {@link FrameSequencesDataset}: `images(indices)` the target frames `[n, H, W, 3]`,
 *   `triplets(indices)` `{ previous, target, next, K }`, plus `frames`, `tripletFrames`, `K`, `files`,
 *   `sequences` and `report`
 * @throws ArgumentError for a bad option, an unreadable `dir`, or when no triplet could be formed;
 *   GenoiseError naming the install command when `sharp` is not installed
 * @example
 * ```ts
 * // drive/seq01/000000.png ..., drive/seq01/intrinsics.json: {"fx":241,"fy":246,"cx":204,"cy":59}
 * const video = await loadFrameSequences('drive/', { size: [128, 416] });
 * for await (const batch of batches(video, { batchSize: 4, key: createKey(0) })) {
 *   const { previous, target, next, K } = video.triplets(batch.indices);
 *   tf.dispose([batch.images, previous, target, next, K]);
 * }
 * ```
 */
export async function loadFrameSequences(
  dir: string,
  options: FrameSequencesOptions,
): Promise<FrameSequencesDataset> {
  const s = checkGeometryOptions(OP, dir, options);
  const sharp = await loadSharp(OP);
  const { basename, join, resolve } = await import('node:path');
  const top = await listFolder(OP, dir, s.extensions);
  const sequenceDirs = top.folders.length > 0 ? top.folders.map((f) => join(dir, f)) : [dir];
  const shared = await readIntrinsicsIn(dir);
  const frameLength = s.height * s.width * 3;
  const pixels: Uint8Array[] = [];
  const files: string[] = [];
  const sequences: { dir: string; start: number; count: number }[] = [];
  const triplets: number[] = [];
  const tripletK: Float32Array[] = [];
  let unreadable = 0;
  let noIntrinsics = 0;
  for (const sequenceDir of sequenceDirs) {
    const listing = sequenceDir === dir ? top : await listFolder(OP, sequenceDir, s.extensions);
    if (listing.images.length === 0) continue;
    const intrinsics = (sequenceDir === dir ? undefined : await readIntrinsicsIn(sequenceDir)) ?? shared;
    if (intrinsics === undefined) {
      s.onWarning(
        `${OP}: skipped ${sequenceDir}: no intrinsics file (intrinsics.json, intrinsics.txt or K.txt) in it or in ${dir}.`,
      );
      noIntrinsics++;
      continue;
    }
    const paths = listing.images.map((f) => join(sequenceDir, f));
    const decoded = await decodeImages(
      sharp,
      paths,
      { height: s.height, width: s.width, channels: 3, fit: 'fill' },
      OP,
      s.onWarning,
      s.concurrency,
    );
    unreadable += decoded.filter((d) => d === undefined).length;
    const firstGood = decoded.findIndex((d) => d !== undefined);
    if (firstGood < 0) continue;
    const K = await intrinsicsFor(sharp, intrinsics, paths[firstGood]!, s.height, s.width);
    const start = files.length;
    const frameIndex = new Map<number, number>();
    decoded.forEach((bytes, i) => {
      if (bytes === undefined) return;
      frameIndex.set(i, files.length);
      pixels.push(bytes);
      files.push(paths[i]!);
    });
    for (let i = 1; i + 1 < decoded.length; i++) {
      const a = frameIndex.get(i - 1);
      const b = frameIndex.get(i);
      const c = frameIndex.get(i + 1);
      if (a !== undefined && b !== undefined && c !== undefined) {
        triplets.push(a, b, c);
        tripletK.push(K);
      }
    }
    sequences.push({ dir: sequenceDir, start, count: files.length - start });
  }
  if (triplets.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'dir',
      message: `${OP}: ${dir} has no three consecutive decodable frames with intrinsics (${files.length} frames decoded in ${sequences.length} sequences).`,
    });
  }
  const all = new Uint8Array(pixels.length * frameLength);
  pixels.forEach((bytes, i) => {
    all.set(bytes, i * frameLength);
  });
  const name = basename(resolve(dir));
  const frames = uint8Dataset({ name: `${name}/frames`, pixels: all, imageShape: [s.height, s.width, 3] });
  const tripletFrames = Int32Array.from(triplets);
  const size = tripletFrames.length / 3;
  const K = new Float32Array(size * 9);
  tripletK.forEach((k, i) => {
    K.set(k, i * 9);
  });
  const column = (indices: Int32Array, j: number) =>
    Int32Array.from(indices, (t) => tripletFrames[3 * t + j]!);
  const floatPixels = (indices: ArrayLike<number>): Float32Array =>
    frames.floatPixels(column(checkIndices(indices, size, `${name}.images`), 1));
  const shape = Object.freeze([s.height, s.width, 3] as const);
  return Object.freeze({
    name,
    size,
    imageShape: shape,
    numClasses: undefined,
    classNames: undefined,
    labels: undefined,
    pixels: all,
    floatPixels,
    images(indices: ArrayLike<number>): tf.Tensor4D {
      const values = floatPixels(indices);
      return tf.tidy(`${OP}.images`, () => tf.tensor4d(values, [indices.length, s.height, s.width, 3]));
    },
    frames,
    tripletFrames,
    K,
    files: Object.freeze(files),
    sequences: Object.freeze(sequences.map((q) => Object.freeze(q))),
    report: Object.freeze({
      loaded: files.length,
      skipped: Object.freeze({
        ...(unreadable > 0 ? { 'unreadable-file': unreadable } : {}),
        ...(noIntrinsics > 0 ? { 'no-intrinsics': noIntrinsics } : {}),
      }),
    }),
    triplets(indices: ArrayLike<number>): FrameTriplet {
      const checked = checkIndices(indices, size, `${name}.triplets`);
      const n = checked.length;
      const [previous, target, next] = [0, 1, 2].map((j) => frames.floatPixels(column(checked, j)));
      const k = new Float32Array(n * 9);
      checked.forEach((t, i) => {
        k.set(K.subarray(9 * t, 9 * t + 9), 9 * i);
      });
      return tf.tidy(`${OP}.triplets`, () => ({
        previous: tf.tensor4d(previous!, [n, s.height, s.width, 3]),
        target: tf.tensor4d(target!, [n, s.height, s.width, 3]),
        next: tf.tensor4d(next!, [n, s.height, s.width, 3]),
        K: tf.tensor3d(k, [n, 3, 3]),
      }));
    },
  });
}
