import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, createKey, normal } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallConvNet } from '../encoders/small-conv-net';
import { loadModel as loadModelInBrowser } from './load-model';
import { loadModel, saveModel } from './model-folder';
import { saveModel as saveModelInBrowser } from './save-model';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'genoise-models-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function trainedEncoder(): tfl.LayersModel {
  const model = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(9) });
  tf.tidy(() => {
    model.apply(normal(createKey(10), [4, 8, 8, 1]), { training: true });
  }); // moves BN statistics
  return model;
}

describe('saveModel / loadModel', () => {
  it('round-trips a folder: model.json, weights.bin, manifest.json; identical outputs after load', async () => {
    const model = trainedEncoder();
    const folder = join(root, 'run', 'encoder');
    const written = await saveModel(model, folder, {
      manifest: { trainingConfig: { method: 'simclr', step: 3 } },
    });
    expect((await readdir(folder)).sort()).toEqual(['manifest.json', 'model.json', 'weights.bin']);
    expect(written).toMatchObject({
      format: 'genoise-model',
      version: 1,
      architecture: { name: 'smallConvNet', options: { inputShape: [8, 8, 1], widths: [4, 8] } },
      trainingConfig: { method: 'simclr', step: 3 },
    });
    expect(JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'))).toEqual(written);
    const { model: loaded, manifest } = await loadModel(folder);
    expect(manifest).toEqual(written);
    const x = normal(createKey(11), [2, 8, 8, 1]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    await expectTensorClose(b, a, { rtol: 0, atol: 0 });
    const bytes = (await readFile(join(folder, 'weights.bin'))).byteLength;
    expect(bytes).toBe(4 * model.countParams());
    // Saving again over the same folder replaces it atomically and leaves no temporary files.
    await saveModel(loaded, folder);
    expect((await readdir(folder)).sort()).toEqual(['manifest.json', 'model.json', 'weights.bin']);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('round-trips through a tf.io handler, the manifest in userDefinedMetadata', async () => {
    const model = trainedEncoder();
    let stored: tf.io.ModelArtifacts | undefined;
    const handler: tf.io.IOHandler = {
      save: async (artifacts) => {
        stored = artifacts;
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      },
      load: async () => stored!,
    };
    const written = await saveModelInBrowser(model, handler, {
      manifest: { architecture: { name: 'custom', options: { a: 1 } } },
    });
    expect((stored!.userDefinedMetadata as Record<string, unknown>)['genoise']).toEqual(written);
    const { model: loaded, manifest } = await loadModelInBrowser(handler);
    expect(manifest.architecture).toEqual({ name: 'custom', options: { a: 1 } });
    const x = normal(createKey(12), [2, 8, 8, 1]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    await expectTensorClose(b, a, { rtol: 0, atol: 0 });
    tf.dispose([a, b]);
    await expect(saveModelInBrowser(model, 'indexeddb://nowhere')).rejects.toThrow(
      "saveModel: no tf.io save handler is registered for 'indexeddb://nowhere' in this environment",
    );
    model.dispose();
    loaded.dispose();
    x.dispose();
  });

  it('in the browser-safe entry, refuses a folder path and says where folders are handled', async () => {
    const model = trainedEncoder();
    await expect(saveModelInBrowser(model, join(root, 'x'))).rejects.toThrow(
      `saveModel: '${join(root, 'x')}' is a folder path, which needs Node: import { saveModel } from '@genoise/models/node'`,
    );
    await expect(loadModelInBrowser('runs/x')).rejects.toThrow(
      "loadModel: 'runs/x' is a folder path, which needs Node: import { loadModel } from '@genoise/models/node'",
    );
    model.dispose();
  });

  it('names the path when the folder is missing or corrupt', async () => {
    const missing = join(root, 'missing');
    await expect(loadModel(missing)).rejects.toThrow(
      `loadModel: '${missing}' does not exist; expected a folder written by saveModel.`,
    );
    await expect(loadModel(missing)).rejects.toBeInstanceOf(ArgumentError);
    const model = trainedEncoder();
    const folder = join(root, 'corrupt');
    await saveModel(model, folder);
    const weights = await readFile(join(folder, 'weights.bin'));
    await writeFile(join(folder, 'weights.bin'), weights.subarray(0, 100));
    await expect(loadModel(folder)).rejects.toThrow(
      `loadModel: the weights in '${folder}' hold 100 bytes but model.json describes ${weights.byteLength}; the model folder is corrupt.`,
    );
    await writeFile(join(folder, 'model.json'), '{"modelTopology": ');
    await expect(loadModel(folder)).rejects.toThrow(
      new RegExp(
        `loadModel: '${join(folder, 'model.json')}' is not valid JSON \\(.*\\); the model folder is corrupt\\.`,
      ),
    );
    await rm(join(folder, 'model.json'));
    await expect(loadModel(folder)).rejects.toThrow(
      `loadModel: '${join(folder, 'model.json')}' does not exist; a saved model folder holds model.json, weights.bin and manifest.json.`,
    );
    const other = join(root, 'bad-manifest');
    await saveModel(model, other);
    await writeFile(join(other, 'manifest.json'), JSON.stringify({ format: 'keras' }));
    await expect(loadModel(other)).rejects.toThrow(
      `loadModel: the manifest in '${join(other, 'manifest.json')}' has format "keras" instead of 'genoise-model'; expected a genoise model manifest (format 'genoise-model', version 1).`,
    );
    await expect(saveModel({} as never, other)).rejects.toThrow(
      "saveModel: 'model' is [object Object] but expected a tf.LayersModel.",
    );
    model.dispose();
  });
});
