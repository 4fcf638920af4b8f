import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { randomImages } from '../../test/helpers';
import { rotate90 } from './rotate90';

// The 2x3 image [[1,2,3],[4,5,6]] turned counter-clockwise as displayed (y down): the top row of the
// result is the old right column read top to bottom, as numpy.rot90 gives.
const image = () => tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
const expected: Record<number, { shape: number[]; values: number[] }> = {
  1: { shape: [1, 3, 2, 1], values: [3, 6, 2, 5, 1, 4] },
  2: { shape: [1, 2, 3, 1], values: [6, 5, 4, 3, 2, 1] },
  3: { shape: [1, 3, 2, 1], values: [4, 1, 5, 2, 6, 3] },
};

describe('rotate90', () => {
  for (const k of [1, 2, 3]) {
    it(`turns a hand-made 2x3 image ${k} time(s) to the hand-derived result`, async () => {
      const x = image();
      const out = rotate90(x, k);
      expect(out.shape).toEqual(expected[k]!.shape);
      expect(Array.from(await out.data())).toEqual(expected[k]!.values);
      tf.dispose([x, out]);
    });
  }

  it('is exact: four quarter turns are the identity, -1 equals 3, 0 and 4 copy', async () => {
    const x = randomImages(1, [2, 5, 7, 3]);
    let y = tf.clone(x);
    for (let i = 0; i < 4; i++) {
      const next = rotate90(y, 1);
      y.dispose();
      y = next;
    }
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    const a = rotate90(x, -1);
    const b = rotate90(x, 3);
    const c = rotate90(x, 4);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    await expectTensorClose(c, x, { rtol: 0, atol: 0 });
    tf.dispose([x, y, a, b, c]);
  });

  it('matches a naive loop on a batch with channels', async () => {
    const x = randomImages(2, [2, 3, 4, 2]);
    const data = await x.data();
    const out = rotate90(x, 1);
    const naive = new Float32Array(2 * 4 * 3 * 2);
    // out[b][y][x][c] = in[b][x][W-1-y][c], out is [B, W, H, C]
    for (let b = 0; b < 2; b++)
      for (let y = 0; y < 4; y++)
        for (let xx = 0; xx < 3; xx++)
          for (let c = 0; c < 2; c++)
            naive[((b * 4 + y) * 3 + xx) * 2 + c] = data[((b * 3 + xx) * 4 + (3 - y)) * 2 + c]!;
    expect(Array.from(await out.data())).toEqual(Array.from(naive));
    tf.dispose([x, out]);
  });

  it('refuses unbatched images and non-integer turns', () => {
    const x3 = tf.zeros([4, 4, 1]);
    expect(() => rotate90(x3, 1)).toThrow(ShapeError);
    expect(() => rotate90(x3, 1)).toThrow(/rotate90: 'images' has shape \[4,4,1\] \(rank 3\)/);
    const x = tf.zeros([1, 4, 4, 1]);
    expect(() => rotate90(x, 1.5)).toThrow(/rotate90: 'k' is 1.5 but expected an integer/);
    tf.dispose([x3, x]);
  });

  it('leaks nothing', async () => {
    const x = randomImages(3, [2, 4, 4, 1]);
    for (const k of [0, 1, 2, 3]) await expectNoLeaks(() => rotate90(x, k));
    x.dispose();
  });
});
