import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { folderSaveHandler, readModelFolder } from '../internal/folder-handler';
import { type LoadedModel, loadModelWith } from './load-model';
import type { ModelManifest } from './model-manifest';
import { type SaveModelOptions, saveModelWith } from './save-model';

/**
 * Saves a model's topology, weights and a {@link ModelManifest}, in Node. `destination` is
 * - a folder path (or a `file://` URL): writes `model.json` (tfjs layers format), `weights.bin` and
 *   `manifest.json`, each to a temporary file in the folder and then renamed, manifest last, so a
 *   folder with a manifest has complete weights;
 * - anything the browser-safe `saveModel` of `@genoise/models` takes (a tf.io URL or handler).
 *
 * @param model - the model to save (not modified)
 * @param destination - folder path, URL or `tf.io.IOHandler`
 * @param options - see {@link SaveModelOptions}
 * @returns the manifest written
 * @throws ArgumentError when `model` is not a LayersModel, the destination is not usable, or
 *   `trainingConfig` is not JSON-serialisable; file-system errors pass through
 * @example
 * ```ts
 * import { loadModel, saveModel } from '@genoise/models/node';
 * await saveModel(encoder, 'runs/simclr/encoder', { manifest: { trainingConfig: { method: 'simclr', step: 500 } } });
 * const { model, manifest } = await loadModel('runs/simclr/encoder');
 * ```
 * @see TensorFlow.js model format, https://www.tensorflow.org/js/guide/save_load
 */
export function saveModel(
  model: tfl.LayersModel,
  destination: string | tf.io.IOHandler,
  options: SaveModelOptions = {},
): Promise<ModelManifest> {
  return saveModelWith(folderSaveHandler, model, destination, options);
}

/**
 * Loads a model saved by {@link saveModel}, with its manifest, in Node. `source` is a folder path (or a
 * `file://` URL), a URL with a tf.io router, or a `tf.io.IOHandler`. Registers genoise's layers first.
 *
 * @param source - folder path, URL or `tf.io.IOHandler`
 * @returns `{ model, manifest }`
 * @throws ArgumentError naming the path when the folder or one of its files is missing, is not valid
 *   JSON, has the wrong number of weight bytes, or has no genoise manifest
 * @example
 * ```ts
 * import { loadModel } from '@genoise/models/node';
 * const { model, manifest } = await loadModel('runs/simclr/encoder');
 * console.log(manifest.architecture.name, manifest.trainingConfig);
 * ```
 */
export function loadModel(source: string | tf.io.IOHandler): Promise<LoadedModel> {
  return loadModelWith(readModelFolder, source);
}
