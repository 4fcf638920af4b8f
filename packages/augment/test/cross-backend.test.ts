// Same key, same output on cpu and wasm: every augmentation and recipe runs on both backends (switched
// with initBackend) and the results agree within 1e-5. The project's backend is restored afterwards.
import { initBackend } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, it } from 'vitest';
import {
  type Augmentation,
  byolViews,
  colorJitter,
  gaussianBlur,
  gaussianNoise,
  horizontalFlip,
  hsvToRgb,
  makeViews,
  randomErasing,
  randomGrayscale,
  randomResizedCrop,
  rgbToHsv,
  simclrViews,
  solarize,
  verticalFlip,
} from '../src/index';
import { key, randomImages } from './helpers';

async function onBackend(
  backend: 'cpu' | 'wasm',
  run: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await initBackend({ prefer: backend });
  const out = run();
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  return data;
}

async function sameOnBothBackends(run: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const cpu = await onBackend('cpu', run);
  const wasm = await onBackend('wasm', run);
  for (let i = 0; i < cpu.length; i++) await expectTensorClose(wasm[i]!, cpu[i]!, { rtol: 0, atol: 1e-5 });
}

const size = { height: 12, width: 14, channels: 3 };
const augmentations: [string, Augmentation][] = [
  ['randomResizedCrop', randomResizedCrop({ size: [10, 9] })],
  ['horizontalFlip', horizontalFlip()],
  ['verticalFlip', verticalFlip()],
  ['colorJitter', colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2 })],
  ['randomGrayscale', randomGrayscale({ p: 0.5 })],
  ['gaussianBlur', gaussianBlur({ kernelSize: 5 })],
  ['solarize', solarize()],
  ['gaussianNoise', gaussianNoise({ std: 0.2 })],
  ['randomErasing', randomErasing()],
];

describe('cpu and wasm agree for the same key', () => {
  afterAll(async () => {
    await initBackend({ prefer: testBackend() as 'cpu' | 'wasm' });
  });

  for (const [name, aug] of augmentations) {
    it(name, async () => {
      await sameOnBothBackends(() => {
        const x = randomImages(1, [6, 12, 14, 3]);
        const out = aug.apply(x, aug.sample(key(2), 6, size));
        x.dispose();
        return out;
      });
    });
  }

  it('rgbToHsv and hsvToRgb', async () => {
    await sameOnBothBackends(() => {
      const x = randomImages(3, [2, 5, 5, 3]);
      const out = [rgbToHsv(x), hsvToRgb(x)];
      x.dispose();
      return out;
    });
  });

  it('makeViews with the SimCLR and BYOL recipes, 1 and 3 channels', async () => {
    await sameOnBothBackends(() => {
      const rgb = randomImages(4, [4, 32, 32, 3]);
      const grey = randomImages(5, [4, 28, 28, 1]);
      const out = [
        ...makeViews(byolViews({ size: 24 }), key(6), rgb),
        ...makeViews(simclrViews({ size: 28, preset: 'small', scale: [0.2, 1] }), key(7), grey),
      ];
      tf.dispose([rgb, grey]);
      return out;
    });
  });
});
