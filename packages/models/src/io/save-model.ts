import { ArgumentError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { recordedArchitecture } from '../internal/architecture';
import { folderNeedsNode, resolveLocation } from '../internal/destination';
import type { ModelManifest } from './model-manifest';

/** Writes a model folder (Node only; given by `@genoise/models/node`). */
export type FolderSaver = (folder: string, manifest: ModelManifest) => tf.io.IOHandler;

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /**
   * What to record beside the weights. `architecture` defaults to the builder that made the model
   * (`smallConvNet`, `resnet18`, ...) or, for other models, `{ name: model.name, options: {} }`;
   * `trainingConfig` is stored as given (JSON-serialisable). Default `{}`.
   */
  readonly manifest?: {
    readonly architecture?: ModelManifest['architecture'];
    readonly trainingConfig?: unknown;
  };
}

const OP = 'saveModel';

/**
 * Saves a model's topology, weights and a {@link ModelManifest}. `destination` is
 * - a URL with a tf.io router (`indexeddb://`, `localstorage://` in browsers, `http(s)://`) or a
 *   `tf.io.IOHandler`: delegates to `model.save`, the manifest travelling in
 *   `userDefinedMetadata.genoise`.
 *
 * Folder paths need Node: `saveModel` from `@genoise/models/node` takes them too (this one, browser-safe,
 * says so when given one).
 *
 * @param model - the model to save (not modified)
 * @param destination - URL or `tf.io.IOHandler`
 * @param options - see {@link SaveModelOptions}
 * @returns the manifest written
 * @throws ArgumentError when `model` is not a LayersModel, the destination is not usable, or
 *   `trainingConfig` is not JSON-serialisable; file-system errors pass through
 * @example
 * ```ts
 * await saveModel(encoder, 'indexeddb://simclr-encoder', { manifest: { trainingConfig: { method: 'simclr', step: 500 } } });
 * const { model, manifest } = await loadModel('indexeddb://simclr-encoder');
 * ```
 * @see TensorFlow.js model format, https://www.tensorflow.org/js/guide/save_load
 */
export function saveModel(
  model: tfl.LayersModel,
  destination: string | tf.io.IOHandler,
  options: SaveModelOptions = {},
): Promise<ModelManifest> {
  return saveModelWith(undefined, model, destination, options);
}

/** {@link saveModel}, writing folder paths with `folderSaver` when given (the `./node` entry gives one). */
export async function saveModelWith(
  folderSaver: FolderSaver | undefined,
  model: tfl.LayersModel,
  destination: string | tf.io.IOHandler,
  options: SaveModelOptions = {},
): Promise<ModelManifest> {
  if (!(model instanceof tfl.LayersModel)) {
    throw new ArgumentError({
      op: OP,
      argument: 'model',
      expected: 'a tf.LayersModel',
      actual: String(model),
    });
  }
  const location = resolveLocation(destination, 'save', OP, 'destination');
  const { architecture, trainingConfig } = options.manifest ?? {};
  const manifest: ModelManifest = {
    format: 'genoise-model',
    version: 1,
    architecture: architecture ?? recordedArchitecture(model) ?? { name: model.name, options: {} },
    ...(trainingConfig === undefined ? {} : { trainingConfig: toJson(trainingConfig) }),
    createdAt: new Date().toISOString(),
  };
  if (location.kind === 'folder') {
    if (folderSaver === undefined) throw folderNeedsNode(OP, 'destination', location.folder);
    await model.save(folderSaver(location.folder, manifest));
    return manifest;
  }
  const inner = location.handler;
  if (typeof inner.save !== 'function') {
    throw new ArgumentError({
      op: OP,
      argument: 'destination',
      message: `${OP}: ${location.description} cannot save (it has no save method).`,
    });
  }
  await model.save({
    save: (artifacts) =>
      inner.save!({
        ...artifacts,
        userDefinedMetadata: { ...artifacts.userDefinedMetadata, genoise: manifest },
      }),
  });
  return manifest;
}

function toJson(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch (error) {
    throw new ArgumentError({
      op: OP,
      argument: 'options.manifest.trainingConfig',
      message: `${OP}: 'options.manifest.trainingConfig' is not JSON-serialisable (${(error as Error).message}).`,
      cause: error,
    });
  }
}
