// Same key, same task on cpu and wasm: every builder runs on both backends (switched with initBackend)
// and the results agree. The project's backend is restored afterwards.
import { initBackend } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, it } from 'vitest';
import {
  colorizationTask,
  denoisingTask,
  inpaintingTask,
  jigsawTask,
  relativeLocationTask,
  rotationTask,
} from '../src/index';
import { key, randomImages } from './helpers';

function flatten(value: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) flatten(v, out);
  return out;
}

async function onBackend(backend: 'cpu' | 'wasm', run: () => unknown): Promise<Float32Array[]> {
  await initBackend({ prefer: backend });
  const list = flatten(run());
  const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  return data;
}

const permutations = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8],
  [2, 0, 1, 5, 3, 4, 8, 6, 7],
  [8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const tasks: [string, (x: tf.Tensor4D) => unknown, number][] = [
  ['rotationTask', (x) => rotationTask(key(1), x, { mode: 'random' }), 0],
  ['jigsawTask', (x) => jigsawTask(key(2), x, { permutations, tileSize: 3, grayscale: 0.5 }), 1e-5],
  [
    'relativeLocationTask',
    (x) => relativeLocationTask(key(3), x, { patchSize: 3, gap: 0, jitter: 1, downsample: 1 }),
    1e-5,
  ],
  ['denoisingTask', (x) => denoisingTask(key(4), x, { corruption: 'salt-and-pepper' }), 0],
  ['inpaintingTask', (x) => inpaintingTask(key(5), x, { region: 'random', overlap: 1 }), 1e-6],
  ['colorizationTask', (x) => colorizationTask(key(6), x), 1e-3],
];

// Runs once (in the cpu project): it switches backends itself.
describe.runIf(testBackend() === 'cpu')('cpu and wasm agree for the same key', () => {
  afterAll(async () => {
    await initBackend({ prefer: testBackend() });
  });

  for (const [name, run, atol] of tasks) {
    it(name, async () => {
      const build = () => {
        const x = randomImages(7, [3, 12, 12, 3]);
        const out = run(x);
        x.dispose();
        return out;
      };
      const cpu = await onBackend('cpu', build);
      const wasm = await onBackend('wasm', build);
      for (let i = 0; i < cpu.length; i++) await expectTensorClose(wasm[i]!, cpu[i]!, { rtol: 0, atol });
    });
  }
});
