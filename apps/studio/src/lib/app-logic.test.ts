import { byolViews, simclrViews } from '@genoise/augment';
import { type BackendInfo, createKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { encodeFashionSubset } from '../../scripts/fashion-format.mjs';
import { chooseBackend } from '../shell/choose-backend';
import { describeStages, setApplied, setField } from './augment-params';
import { fitPoints, linePath, nearestPoint } from './charts';
import { colorize, finiteRange, viridis } from './colormap';
import { parseFashionSubset, stratifiedIndices } from './fashion-data';
import { choiceParam, intParam, numberParam, readStudioOptions, withBackend } from './url-options';

describe('url options', () => {
  test('reads the backend, reports an unknown one, clamps integers', () => {
    expect(readStudioOptions('?backend=WASM').backend).toBe('wasm');
    expect(readStudioOptions('').backend).toBe('auto');
    const unknown = readStudioOptions('?backend=metal');
    expect(unknown.backend).toBe('auto');
    expect(unknown.unknownBackend).toBe('metal');
    const params = new URLSearchParams('batch=999&steps=x');
    expect(intParam(params, 'batch', 64, 4, 256)).toBe(256);
    expect(intParam(params, 'steps', 10, 1, 100)).toBe(10);
    const knobs = new URLSearchParams('lr=3e-4&big=5&bad=x&data=Photometric&term=ssd');
    expect(numberParam(knobs, 'lr', undefined, 1e-6, 1)).toBe(3e-4);
    expect(numberParam(knobs, 'big', undefined, 1e-6, 1)).toBe(1);
    expect(numberParam(knobs, 'bad', undefined, 1e-6, 1)).toBeUndefined();
    expect(numberParam(knobs, 'absent', 0.5, 0, 1)).toBe(0.5);
    expect(choiceParam(knobs, 'data', ['census', 'photometric'], undefined)).toBe('photometric');
    expect(choiceParam(knobs, 'term', ['census', 'photometric'], 'census')).toBe('census');
    expect(withBackend('http://h/a.html?batch=8', 'webgpu')).toBe('http://h/a.html?batch=8&backend=webgpu');
    expect(withBackend('http://h/a.html?backend=wasm', 'auto')).toBe('http://h/a.html');
  });
});

describe('chooseBackend', () => {
  const info = (name: BackendInfo['name'], tried: BackendInfo['tried'] = []): BackendInfo => ({
    name,
    platform: 'browser',
    reason: '',
    floatPrecision: 32,
    simd: undefined,
    threads: undefined,
    adapter: undefined,
    tried,
  });

  test('falls back to the automatic order with a notice when the requested backend fails', async () => {
    const calls: unknown[] = [];
    const choice = await chooseBackend('webgpu', async (options) => {
      calls.push(options);
      if (options?.prefer === 'webgpu') throw new Error('initBackend: no backend of [webgpu] could start');
      return info('wasm', [{ name: 'webgpu', error: 'no adapter' }]);
    });
    expect(calls).toEqual([{ prefer: 'webgpu' }, undefined]);
    expect(choice.info.name).toBe('wasm');
    expect(choice.fellBack).toBe(true);
    expect(choice.notice).toMatch(/^webgpu could not start: .* Running on wasm instead\.$/);
  });

  test('no notice when the requested backend starts; a note when auto skipped some', async () => {
    expect((await chooseBackend('wasm', async () => info('wasm'))).notice).toBeUndefined();
    const auto = await chooseBackend('auto', async () =>
      info('webgl', [{ name: 'webgpu', error: 'no adapter' }]),
    );
    expect(auto.notice).toBe('Running on webgl; skipped webgpu (no adapter).');
    expect(auto.fellBack).toBe(false);
  });
});

describe('augmentation parameters', () => {
  const size = { height: 28, width: 28, channels: 1 };

  test('describes every stage of the SimCLR and BYOL views and edits them', () => {
    const recipe = simclrViews({ size: 28, preset: 'small' });
    const params = [...(recipe.views[0].sample(createKey(3), 1, size) as readonly unknown[])];
    const stages = describeStages('simclr', 0, params);
    expect(stages.map((s) => s.label)).toEqual([
      'random resized crop',
      'horizontal flip',
      'colour jitter',
      'grayscale',
    ]);
    const crop = stages[0]!;
    expect(crop.fields.map((f) => f.name)).toEqual(['top', 'left', 'height', 'width']);
    // Growing the crop to the whole image moves its corner back inside.
    const whole = setField(setField(params, 0, 'height', 28), 0, 'width', 28);
    const [edited] = describeStages('simclr', 0, whole);
    expect(edited!.fields.map((f) => f.value)).toEqual([0, 0, 28, 28]);
    expect(describeStages('simclr', 0, params)[0]!.fields[2]!.value).toBe(crop.fields[2]!.value); // original untouched
    const flipped = setApplied(params, 1, !stages[1]!.applied);
    expect(describeStages('simclr', 0, flipped)[1]!.applied).toBe(!stages[1]!.applied);
    // The edited params still apply.
    const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    const y = recipe.views[0].apply(x, whole);
    expect(y.shape).toEqual([1, 28, 28, 1]);
    tf.dispose([x, y]);
    const byol = byolViews({ size: 28, preset: 'small' });
    const second = describeStages('byol', 1, [
      ...(byol.views[1].sample(createKey(1), 1, size) as readonly unknown[]),
    ]);
    expect(second.at(-1)!.label).toBe('solarize');
  });
});

describe('data format', () => {
  test('round-trips through the prepare script encoder; stratified indices take each class in turn', () => {
    const pixels = (n: number) => Uint8Array.from({ length: n * 4 }, (_, i) => i % 256);
    const bytes = encodeFashionSubset({
      side: 2,
      train: { pixels: pixels(3), labels: Uint8Array.of(0, 1, 1) },
      test: { pixels: pixels(1), labels: Uint8Array.of(9) },
    });
    const parsed = parseFashionSubset(bytes);
    expect(parsed.side).toBe(2);
    expect(Array.from(parsed.train.labels)).toEqual([0, 1, 1]);
    expect(Array.from(parsed.test.pixels)).toEqual([0, 1, 2, 3]);
    expect(() => parseFashionSubset(bytes.subarray(0, 20))).toThrow(/needs/);
    expect(() => parseFashionSubset(new Uint8Array(16))).toThrow(/magic/);
    expect(Array.from(stratifiedIndices(Int32Array.of(0, 0, 0, 1, 1, 2), 4, 3))).toEqual([0, 3, 5, 1]);
  });
});

describe('drawing helpers', () => {
  test('colours, ranges, point fitting, picking and the loss path', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(finiteRange([Number.NaN, 2, -1])).toEqual([-1, 2]);
    expect(Array.from(colorize([0], 0, 1).subarray(0, 4))).toEqual([68, 1, 84, 255]);
    const pixels = fitPoints(Float32Array.of(0, 0, 1, 1), 100, 10);
    expect(Array.from(pixels)).toEqual([10, 90, 90, 10]);
    expect(nearestPoint(pixels, 85, 15)).toBe(1);
    expect(linePath([1, 0], 10, 10)).toBe('M0.0,4.0 L10.0,6.0');
  });
});
