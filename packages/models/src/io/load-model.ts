import { ArgumentError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture } from '../internal/architecture';
import { folderNeedsNode, resolveLocation } from '../internal/destination';
import { MANIFEST_FILE } from '../internal/model-files';
import { registerLayers } from '../layers/register-layers';
import { type ModelManifest, parseManifest } from './model-manifest';

/** What {@link loadModel} returns. */
export interface LoadedModel {
  /** The model, weights restored; its batch-norm moving statistics too. */
  readonly model: tfl.LayersModel;
  /** The manifest saved with it. */
  readonly manifest: ModelManifest;
}

const OP = 'loadModel';

/** Reads a model folder (Node only; given by `@genoise/models/node`). */
export type FolderReader = (
  folder: string,
  op: string,
  argument: string,
) => Promise<{ artifacts: tf.io.ModelArtifacts; manifest: unknown; manifestPath: string }>;

/**
 * Loads a model saved by {@link saveModel}, with its manifest. `source` is a URL with a tf.io router or
 * a `tf.io.IOHandler`. Registers genoise's layers first. Folder paths need Node: `loadModel` from
 * `@genoise/models/node` takes them too (this one, browser-safe, says so when given one).
 *
 * @param source - URL or `tf.io.IOHandler`
 * @returns `{ model, manifest }`
 * @throws ArgumentError naming the path when the folder or one of its files is missing, is not valid
 *   JSON, has the wrong number of weight bytes, or has no genoise manifest
 * @example
 * ```ts
 * const { model, manifest } = await loadModel('indexeddb://simclr-encoder');
 * console.log(manifest.architecture.name, manifest.trainingConfig);
 * ```
 * @see TensorFlow.js model format, https://www.tensorflow.org/js/guide/save_load
 */
export function loadModel(source: string | tf.io.IOHandler): Promise<LoadedModel> {
  return loadModelWith(undefined, source);
}

/** {@link loadModel}, reading folder paths with `folderReader` when given (the `./node` entry gives one). */
export async function loadModelWith(
  folderReader: FolderReader | undefined,
  source: string | tf.io.IOHandler,
): Promise<LoadedModel> {
  const location = resolveLocation(source, 'load', OP, 'source');
  let artifacts: tf.io.ModelArtifacts;
  let manifest: ModelManifest;
  let where: string;
  if (location.kind === 'folder') {
    if (folderReader === undefined) throw folderNeedsNode(OP, 'source', location.folder);
    const read = await folderReader(location.folder, OP, 'source');
    artifacts = read.artifacts;
    where = `'${read.manifestPath}'`;
    manifest = parseManifest(read.manifest, OP, 'source', where);
  } else {
    const handler = location.handler;
    if (typeof handler.load !== 'function') {
      throw new ArgumentError({
        op: OP,
        argument: 'source',
        message: `${OP}: ${location.description} cannot load (it has no load method).`,
      });
    }
    artifacts = await handler.load();
    where = `the userDefinedMetadata.genoise of ${location.description} (folders keep it in ${MANIFEST_FILE})`;
    manifest = parseManifest(
      (artifacts.userDefinedMetadata as Record<string, unknown> | undefined)?.['genoise'],
      OP,
      'source',
      where,
    );
  }
  registerLayers();
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel({ load: async () => artifacts });
  } catch (error) {
    throw new ArgumentError({
      op: OP,
      argument: 'source',
      message: `${OP}: the model at ${location.kind === 'folder' ? `'${location.folder}'` : location.description} could not be rebuilt: ${(error as Error).message}`,
      cause: error,
    });
  }
  return { model: recordArchitecture(model, manifest.architecture), manifest };
}
