import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ArgumentError } from '@genoise/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { type KerasExport, type ToKerasOptions, toKeras } from './to-keras';

/** Options of {@link writeKerasExport}: those of `toKeras` (a `reference` input batch). */
export type WriteKerasExportOptions = ToKerasOptions;

/** What {@link writeKerasExport} wrote. */
export interface WrittenKerasExport extends KerasExport {
  /** The export folder, absolute. */
  readonly folder: string;
  /** Absolute paths of the files written, `export.json` last. */
  readonly paths: readonly string[];
}

const OP = 'writeKerasExport';

/**
 * Node only (`@genoise/models/node`): writes a model as a Keras export folder, the files of
 * {@link toKeras}: `config.json` (Keras 3 `Functional` config of built-in layers), `weights.npz`,
 * `export.json`, `load_keras.py` and, given a reference batch, `reference.npz`. Each file goes to a
 * temporary name and is renamed, `export.json` last. Then, in Python:
 * `python3 <folder>/load_keras.py` saves `<folder>/model.keras`, which `keras.saving.load_model` reads.
 *
 * @param model - the model to export (not modified)
 * @param folder - the export folder, created if missing; files of an earlier export are replaced
 * @param options - see {@link WriteKerasExportOptions}
 * @returns the export and the paths written
 * @throws ArgumentError when `folder` is not a non-empty string, or as `toKeras` does; file-system
 *   errors pass through
 * @example
 * ```ts
 * await writeKerasExport(encoder, 'runs/simclr/keras', { reference: testImages });
 * // $ python3 runs/simclr/keras/load_keras.py   ->  runs/simclr/keras/model.keras
 * ```
 */
export async function writeKerasExport(
  model: tfl.LayersModel,
  folder: string,
  options: WriteKerasExportOptions = {},
): Promise<WrittenKerasExport> {
  if (typeof folder !== 'string' || folder.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'folder',
      expected: 'a folder path',
      actual: JSON.stringify(folder),
    });
  }
  const exported = await toKeras(model, options);
  const root = resolve(folder);
  await mkdir(root, { recursive: true });
  const names = Object.keys(exported.files).sort(
    (a, b) => Number(a === 'export.json') - Number(b === 'export.json'),
  );
  const paths: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    const temporary = join(root, `.${basename(name)}.${process.pid}.tmp`);
    await writeFile(temporary, exported.files[name]!);
    await rename(temporary, path);
    paths.push(path);
  }
  return { ...exported, folder: root, paths };
}
