import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { uint8Dataset } from './uint8-dataset';

// Three 2x2 RGB images whose bytes are 0..35, so example i holds i*12 .. i*12+11.
const pixels = Uint8Array.from({ length: 36 }, (_, i) => i);
const data = () =>
  uint8Dataset({ name: 'toy', pixels, imageShape: [2, 2, 3], labels: Int32Array.of(0, 2, 1) });

describe('uint8Dataset', () => {
  it('reports size, shape and classes', () => {
    const d = data();
    expect(d.size).toBe(3);
    expect(d.imageShape).toEqual([2, 2, 3]);
    expect(d.numClasses).toBe(3);
    expect(d.classNames).toBeUndefined();
    const named = uint8Dataset({
      name: 'n',
      pixels,
      imageShape: [2, 2, 3],
      classNames: ['a', 'b', 'c', 'd'],
    });
    expect(named.numClasses).toBe(4);
    expect(named.labels).toBeUndefined();
  });

  it('decodes the requested examples in order to float32 x/255', async () => {
    const x = data().images([2, 0, 2]);
    expect(x.shape).toEqual([3, 2, 2, 3]);
    expect(x.dtype).toBe('float32');
    const expected = [24, 0, 24].flatMap((start) => Array.from({ length: 12 }, (_, j) => (start + j) / 255));
    await expectTensorClose(x, tf.tensor4d(expected, [3, 2, 2, 3]));
    x.dispose();
  });

  it('matches floatPixels and stays in [0, 1] for the extreme bytes', async () => {
    const d = uint8Dataset({ name: 'x', pixels: Uint8Array.of(0, 255), imageShape: [1, 1, 1] });
    expect(Array.from(d.floatPixels([0, 1]))).toEqual([0, 1]);
    const x = d.images([1, 0]);
    expect(Array.from(await x.data())).toEqual([1, 0]);
    x.dispose();
  });

  it('gives an empty batch for no indices', () => {
    const x = data().images([]);
    expect(x.shape).toEqual([0, 2, 2, 3]);
    x.dispose();
  });

  it('does not leak', async () => {
    const d = data();
    expect(await expectNoLeaks(() => d.images([0, 1]))).toBe(1);
  });

  it('rejects bad options and indices with messages naming the argument', () => {
    expect(() => uint8Dataset({ name: 'x', pixels: new Uint8Array(5), imageShape: [2, 2, 1] })).toThrow(
      "uint8Dataset: 'pixels' has 5 bytes, not a multiple of H*W*C = 4 for imageShape [2,2,1].",
    );
    expect(() => uint8Dataset({ name: 'x', pixels, imageShape: [2, 2] as never })).toThrow(
      "uint8Dataset: 'imageShape' is [2,2] but expected [H, W, C] of positive integers.",
    );
    expect(() =>
      uint8Dataset({ name: 'x', pixels, imageShape: [2, 2, 3], labels: Int32Array.of(0, 1) }),
    ).toThrow(
      "uint8Dataset: 'labels' has 2 entries but 'pixels' holds 3 examples; expected one label per example.",
    );
    expect(() =>
      uint8Dataset({
        name: 'x',
        pixels,
        imageShape: [2, 2, 3],
        labels: Int32Array.of(0, 1, 2),
        classNames: ['a', 'b'],
      }),
    ).toThrow("uint8Dataset: 'labels[2]' is 2 but expected an integer in [0, 2).");
    expect(() => uint8Dataset({ name: 'x', pixels: [1, 2] as never, imageShape: [1, 1, 1] })).toThrow(
      ArgumentError,
    );
    expect(() => data().images([3])).toThrow(
      "toy.images: 'indices[0]' is 3 but expected an integer in [0, 3) (the dataset has 3 examples).",
    );
    expect(() => data().images([0.5])).toThrow(ArgumentError);
  });
});
