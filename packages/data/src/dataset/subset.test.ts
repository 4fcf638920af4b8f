import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { subset } from './subset';
import { uint8Dataset } from './uint8-dataset';

// Five 1x1 grey images with byte value 10*i and label i % 2.
const parent = uint8Dataset({
  name: 'five',
  pixels: Uint8Array.of(0, 10, 20, 30, 40),
  imageShape: [1, 1, 1],
  labels: Int32Array.of(0, 1, 0, 1, 0),
  classNames: ['even', 'odd'],
});

describe('subset', () => {
  it('maps local indices to the parent examples and gathers labels', async () => {
    const view = subset(parent, [4, 1, 1]);
    expect(view.size).toBe(3);
    expect(view.name).toBe('five[subset]');
    expect(Array.from(view.labels!)).toEqual([0, 1, 1]);
    expect(view.classNames).toEqual(['even', 'odd']);
    expect(view.numClasses).toBe(2);
    const x = view.images([0, 2]);
    expect(x.shape).toEqual([2, 1, 1, 1]);
    expect(Array.from(await x.data())).toEqual([40 / 255, 10 / 255].map(Math.fround));
    x.dispose();
    expect(Array.from(view.floatPixels!([1]))).toEqual([Math.fround(10 / 255)]);
  });

  it('nests', async () => {
    const inner = subset(subset(parent, [3, 4]), [1]);
    const x = inner.images([0]);
    expect(Array.from(await x.data())).toEqual([Math.fround(40 / 255)]);
    x.dispose();
  });

  it('does not leak', async () => {
    const view = subset(parent, [0, 2]);
    expect(await expectNoLeaks(() => view.images([1, 0]))).toBe(1);
  });

  it('rejects out-of-range indices, for the parent and for the view', () => {
    expect(() => subset(parent, [5])).toThrow(
      "subset: 'indices[0]' is 5 but expected an integer in [0, 5) (the dataset has 5 examples).",
    );
    expect(() => subset(parent, [0]).images([1])).toThrow(
      "five[subset].images: 'indices[0]' is 1 but expected an integer in [0, 1) (the dataset has 1 examples).",
    );
    expect(() => subset({} as never, [0])).toThrow(ArgumentError);
  });
});
