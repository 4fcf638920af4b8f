import { ArgumentError, checkInteger, checkOptions, describeValue } from '@genoise/core';
import {
  INTRINSICS_FILE_NAMES,
  type Intrinsics,
  parseIntrinsics,
  scaleIntrinsics,
} from '../folder/parse-intrinsics';

import type { Sharp } from './load-sharp';

/** Options shared by the frame-sequence and stereo folder loaders. */
export interface GeometryFolderOptions {
  /** `[height, width]` every image is resized to (stretched, so `K` scales exactly), positive integers. Required. */
  readonly size: readonly [number, number];
  /** File extensions to read, case-insensitive. Default `['.png', '.jpg', '.jpeg', '.webp']`. */
  readonly extensions?: readonly string[];
  /** Receives one line per skipped file, naming it. Default `console.warn`. */
  readonly onWarning?: ((message: string) => void) | undefined;
  /** Files decoded at once, a positive integer. Default `4`. */
  readonly concurrency?: number;
}

export interface GeometrySettings {
  readonly height: number;
  readonly width: number;
  readonly extensions: readonly string[];
  readonly onWarning: (message: string) => void;
  readonly concurrency: number;
}

const DEFAULT_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

export function checkGeometryOptions(
  op: string,
  dir: unknown,
  options: GeometryFolderOptions,
): GeometrySettings {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new ArgumentError({ op, argument: 'dir', expected: 'a folder path', actual: describeValue(dir) });
  }
  checkOptions(options, ['size', 'extensions', 'onWarning', 'concurrency'], { op });
  const { size, extensions = DEFAULT_EXTENSIONS, onWarning = console.warn, concurrency = 4 } = options;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ArgumentError({
      op,
      argument: 'size',
      expected: '[height, width] of positive integers',
      actual: describeValue(size),
    });
  }
  if (!Array.isArray(extensions) || !extensions.every((e) => typeof e === 'string' && e.startsWith('.'))) {
    throw new ArgumentError({
      op,
      argument: 'extensions',
      expected: "file extensions like ['.png']",
      actual: describeValue(extensions),
    });
  }
  if (typeof onWarning !== 'function') {
    throw new ArgumentError({
      op,
      argument: 'onWarning',
      expected: 'a function',
      actual: describeValue(onWarning),
    });
  }
  checkInteger(concurrency, { op, arg: 'concurrency', min: 1 });
  return {
    height: size[0]!,
    width: size[1]!,
    extensions: extensions.map((e) => e.toLowerCase()),
    onWarning,
    concurrency,
  };
}

/** The sorted image files and sub-folders of `dir`. */
export async function listFolder(
  op: string,
  dir: string,
  extensions: readonly string[],
): Promise<{ images: string[]; folders: string[]; names: string[] }> {
  const { readdir } = await import('node:fs/promises');
  const { extname } = await import('node:path');
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new ArgumentError({
      op,
      argument: 'dir',
      message: `${op}: cannot read folder ${dir} (${(cause as Error).message}).`,
      cause,
    });
  });
  const visible = entries.filter((e) => !e.name.startsWith('.'));
  return {
    images: visible
      .filter((e) => e.isFile() && extensions.includes(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort(),
    folders: visible
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort(),
    names: visible.map((e) => e.name),
  };
}

/** Reads the first intrinsics file of {@link INTRINSICS_FILE_NAMES} in `dir`, or `undefined` if none. */
export async function readIntrinsicsIn(dir: string): Promise<(Intrinsics & { file: string }) | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  for (const name of INTRINSICS_FILE_NAMES) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return { ...parseIntrinsics(text, file), file };
  }
  return undefined;
}

/**
 * `K` for images resized to `[height, width]`: scaled from the size the intrinsics refer to, which is
 * the file's `width`/`height` or else the native size of `referenceImage`.
 */
export async function intrinsicsFor(
  sharp: Sharp,
  intrinsics: Intrinsics,
  referenceImage: string,
  height: number,
  width: number,
): Promise<Float32Array> {
  let from: [number, number];
  if (intrinsics.width !== undefined && intrinsics.height !== undefined) {
    from = [intrinsics.height, intrinsics.width];
  } else {
    const meta = await sharp(referenceImage).metadata();
    const rotated = (meta.orientation ?? 1) >= 5;
    from = rotated ? [meta.width!, meta.height!] : [meta.height!, meta.width!];
  }
  return scaleIntrinsics(intrinsics.K, from, [height, width]);
}
