import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelManifest } from '../io/model-manifest';

import { MANIFEST_FILE, MODEL_FILE, WEIGHTS_FILE } from './model-files';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** Node's fs and path, imported on first use (this module is reached only from `@genoise/models/node`). */
async function nodeModules(): Promise<{ fs: Fs; path: Path }> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

let tempCounter = 0;

/** Writes `data` to `file` atomically: a temporary file in the same folder, then a rename. */
async function writeAtomically(fs: Fs, path: Path, file: string, data: string | Uint8Array): Promise<void> {
  tempCounter += 1;
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${tempCounter}.tmp`,
  );
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Bytes per element of a weight dtype, as tfjs stores them. */
function bytesPerElement(dtype: string): number {
  return dtype === 'float16'
    ? 2
    : dtype === 'uint8' || dtype === 'bool'
      ? 1
      : dtype === 'uint16' || dtype === 'int16'
        ? 2
        : 4;
}

function expectedBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((sum, spec) => {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    return sum + count * bytesPerElement(dtype);
  }, 0);
}

/**
 * A `tf.io.IOHandler` over a folder in Node: `model.json` (tfjs' layers format), `weights.bin` and
 * `manifest.json`. Each file is written to a temporary name then renamed; `manifest.json` last, so a
 * folder with a manifest has complete weights.
 */
export function folderSaveHandler(folder: string, manifest: ModelManifest): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const { fs, path } = await nodeModules();
      await fs.mkdir(folder, { recursive: true });
      const weights = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : tf.io.CompositeArrayBuffer.join(artifacts.weightData),
      );
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata === undefined
          ? {}
          : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      await writeAtomically(fs, path, path.join(folder, WEIGHTS_FILE), weights);
      await writeAtomically(fs, path, path.join(folder, MODEL_FILE), JSON.stringify(modelJson));
      await writeAtomically(
        fs,
        path,
        path.join(folder, MANIFEST_FILE),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      return {
        modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts),
      };
    },
  };
}

/** Reads and parses a JSON file; errors name the path and say what is wrong. */
async function readJson(fs: Fs, file: string, op: string, argument: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as { code?: string }).code === 'ENOENT';
    throw new ArgumentError({
      op,
      argument,
      message: missing
        ? `${op}: '${file}' does not exist; a saved model folder holds ${MODEL_FILE}, ${WEIGHTS_FILE} and ${MANIFEST_FILE}.`
        : `${op}: cannot read '${file}': ${(error as Error).message}`,
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: '${file}' is not valid JSON (${(error as Error).message}); the model folder is corrupt.`,
      cause: error,
    });
  }
}

/** Reads a model folder: the tfjs artifacts for `tf.loadLayersModel` and the raw manifest. */
export async function readModelFolder(
  folder: string,
  op: string,
  argument: string,
): Promise<{ artifacts: tf.io.ModelArtifacts; manifest: unknown; manifestPath: string }> {
  const { fs, path } = await nodeModules();
  const stat = await fs.stat(folder).catch(() => undefined);
  if (stat === undefined || !stat.isDirectory()) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: '${folder}' ${stat === undefined ? 'does not exist' : 'is not a folder'}; expected a folder written by saveModel.`,
    });
  }
  const modelPath = path.join(folder, MODEL_FILE);
  const manifestPath = path.join(folder, MANIFEST_FILE);
  const modelJson = (await readJson(fs, modelPath, op, argument)) as Partial<tf.io.ModelJSON>;
  if (
    typeof modelJson !== 'object' ||
    modelJson === null ||
    modelJson.modelTopology == null ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: '${modelPath}' has no modelTopology or weightsManifest; the model folder is corrupt.`,
    });
  }
  const manifest = await readJson(fs, manifestPath, op, argument);
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const relative of group.paths) {
      const file = path.join(folder, relative);
      const bytes = await fs.readFile(file).catch((error: unknown) => {
        throw new ArgumentError({
          op,
          argument,
          message: `${op}: cannot read the weights file '${file}' (${(error as Error).message}); the model folder is incomplete.`,
          cause: error,
        });
      });
      buffers.push(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
  }
  const total = buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const expected = expectedBytes(specs);
  if (total !== expected) {
    throw new ArgumentError({
      op,
      argument,
      message: `${op}: the weights in '${folder}' hold ${total} bytes but ${MODEL_FILE} describes ${expected}; the model folder is corrupt.`,
    });
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelJson.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
    ...(modelJson.format === undefined ? {} : { format: modelJson.format }),
    ...(modelJson.generatedBy === undefined ? {} : { generatedBy: modelJson.generatedBy }),
    ...(modelJson.convertedBy == null ? {} : { convertedBy: modelJson.convertedBy }),
    ...(modelJson.userDefinedMetadata === undefined
      ? {}
      : { userDefinedMetadata: modelJson.userDefinedMetadata }),
  };
  return { artifacts, manifest, manifestPath };
}
