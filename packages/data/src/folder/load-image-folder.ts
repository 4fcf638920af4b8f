import { ArgumentError, checkInteger, checkOneOf, checkOptions, describeValue } from '@genoise/core';
import type { LoadReport } from '../dataset/dataset';
import { type Uint8Dataset, uint8Dataset } from '../dataset/uint8-dataset';

import { decodeImages } from '../internal/decode-images';
import { loadSharp } from '../internal/load-sharp';

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** `[height, width]` every image is resized to, positive integers. Required. */
  readonly size: readonly [number, number];
  /** 1 (grey, BT.601 luma as sharp computes it) or 3 (sRGB). Default `3`. */
  readonly channels?: 1 | 3;
  /** `'subfolders'`: one class per sub-folder (sorted names); `'none'`: the images directly in `dir`. Default `'subfolders'`. */
  readonly labels?: 'subfolders' | 'none';
  /** File extensions to read, case-insensitive. Default `['.png', '.jpg', '.jpeg', '.webp']`. */
  readonly extensions?: readonly string[];
  /** `'cover'`: scale to cover `size`, then centre-crop; `'fill'`: stretch. Default `'cover'`. */
  readonly fit?: 'cover' | 'fill';
  /** Receives one line per skipped file, naming it. Default `console.warn`. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Files decoded at once, a positive integer. Default `4`. */
  readonly concurrency?: number;
}

/** A dataset read from a folder of images. */
export interface ImageFolderDataset extends Uint8Dataset {
  /** The path of each example's file, in example order. */
  readonly files: readonly string[];
  /** `loaded` images and `skipped: { 'unreadable-file': n }` for files that could not be decoded. */
  readonly report: LoadReport;
}

const OP = 'loadImageFolder';
const DEFAULT_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

interface Settings {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly labels: 'subfolders' | 'none';
  readonly extensions: readonly string[];
  readonly fit: 'cover' | 'fill';
  readonly onWarning: (message: string) => void;
  readonly concurrency: number;
}

function checkFolderSettings(dir: unknown, options: ImageFolderOptions): Settings {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'dir',
      expected: 'a folder path',
      actual: describeValue(dir),
    });
  }
  checkOptions(options, ['size', 'channels', 'labels', 'extensions', 'fit', 'onWarning', 'concurrency'], {
    op: OP,
  });
  const {
    size,
    channels = 3,
    labels = 'subfolders',
    extensions = DEFAULT_EXTENSIONS,
    fit = 'cover',
  } = options;
  const { onWarning = console.warn, concurrency = 4 } = options;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ArgumentError({
      op: OP,
      argument: 'size',
      expected: '[height, width] of positive integers',
      actual: describeValue(size),
    });
  }
  checkOneOf(channels, [1, 3], { op: OP, arg: 'channels' });
  checkOneOf(labels, ['subfolders', 'none'], { op: OP, arg: 'labels' });
  checkOneOf(fit, ['cover', 'fill'], { op: OP, arg: 'fit' });
  if (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string' && e.startsWith('.'))) {
    throw new ArgumentError({
      op: OP,
      argument: 'extensions',
      expected: "file extensions like ['.png']",
      actual: describeValue(extensions),
    });
  }
  if (typeof onWarning !== 'function') {
    throw new ArgumentError({
      op: OP,
      argument: 'onWarning',
      expected: 'a function',
      actual: describeValue(onWarning),
    });
  }
  checkInteger(concurrency, { op: OP, arg: 'concurrency', min: 1 });
  const lowered = extensions.map((e) => e.toLowerCase());
  return {
    height: size[0]!,
    width: size[1]!,
    channels,
    labels,
    extensions: lowered,
    fit,
    onWarning,
    concurrency,
  };
}

interface Listing {
  readonly files: string[];
  readonly labels: number[];
  readonly classNames: string[] | undefined;
}

/** The image files of `dir` (sorted) and, with sub-folder labels, their classes. */
async function listImages(dir: string, s: Settings): Promise<Listing> {
  const { readdir } = await import('node:fs/promises');
  const { extname, join } = await import('node:path');
  const isImage = (name: string): boolean =>
    !name.startsWith('.') && s.extensions.includes(extname(name).toLowerCase());
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new ArgumentError({
      op: OP,
      argument: 'dir',
      message: `${OP}: cannot read folder ${dir} (${(cause as Error).message}).`,
      cause,
    });
  });
  const filesIn = (list: typeof entries): string[] =>
    list
      .filter((e) => e.isFile() && isImage(e.name))
      .map((e) => e.name)
      .sort();
  if (s.labels === 'none')
    return { files: filesIn(entries).map((f) => join(dir, f)), labels: [], classNames: undefined };
  const classNames = entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const files: string[] = [];
  const labels: number[] = [];
  for (const [label, name] of classNames.entries()) {
    for (const file of filesIn(await readdir(join(dir, name), { withFileTypes: true }))) {
      files.push(join(dir, name, file));
      labels.push(label);
    }
  }
  return { files, labels, classNames };
}

/**
 * Loads a folder of images with `sharp` (an optional peer dependency: `npm install sharp@0.35.5`).
 * **Node only.** Each file is auto-rotated by its EXIF orientation, alpha is composited onto black, it
 * is resized to `size` (`fit: 'cover'` crops the centre, `'fill'` stretches), converted to grey or sRGB,
 * and kept as bytes; images decode to float32 `x / 255` per batch.
 *
 * With `labels: 'subfolders'` every sub-folder of `dir` is a class (names sorted, the index is the
 * label, files directly inside each); with `'none'` the images directly in `dir` are read, unlabelled.
 * Files are sorted by name; hidden files and other extensions are ignored. An unreadable or corrupt file
 * is skipped with a warning naming it, and the load goes on.
 *
 * @param dir - the folder
 * @param options - see {@link ImageFolderOptions}; `size: [height, width]` is required
 * @returns a dataset of float32 `[n, height, width, channels]` images in [0, 1], with `labels` and
 *   `classNames` from the sub-folders, `files`, and `report = { loaded, skipped }`
 * @throws ArgumentError for a bad option, an unreadable `dir`, or a folder with no decodable image;
 *   GenoiseError naming the install command when `sharp` is not installed
 * @example
 * ```ts
 * const pets = await loadImageFolder('photos/', { size: [64, 64] }); // photos/cat/*.jpg, photos/dog/*.jpg
 * console.log(pets.size, pets.classNames); // 120 [ 'cat', 'dog' ]
 * ```
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolderDataset> {
  const s = checkFolderSettings(dir, options);
  const sharp = await loadSharp();
  const { basename, resolve } = await import('node:path');
  const listing = await listImages(dir, s);
  const decoded = await decodeImages(sharp, listing.files, s, OP, s.onWarning, s.concurrency);
  const kept = decoded.flatMap((bytes, i) => (bytes ? [i] : []));
  if (kept.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'dir',
      message: `${OP}: ${dir} has no decodable image (${listing.files.length} files with extensions ${s.extensions.join(', ')}${s.labels === 'subfolders' ? ' in its sub-folders' : ''}).`,
    });
  }
  const exampleLength = s.height * s.width * s.channels;
  const pixels = new Uint8Array(kept.length * exampleLength);
  kept.forEach((i, k) => {
    pixels.set(decoded[i]!, k * exampleLength);
  });
  const dataset = uint8Dataset({
    name: basename(resolve(dir)),
    pixels,
    imageShape: [s.height, s.width, s.channels],
    labels: listing.classNames ? Int32Array.from(kept, (i) => listing.labels[i]!) : undefined,
    classNames: listing.classNames,
  });
  const skipped = listing.files.length - kept.length;
  return Object.freeze({
    ...dataset,
    files: Object.freeze(kept.map((i) => listing.files[i]!)),
    report: Object.freeze({
      loaded: kept.length,
      skipped: Object.freeze(skipped > 0 ? { 'unreadable-file': skipped } : {}),
    }),
  });
}
