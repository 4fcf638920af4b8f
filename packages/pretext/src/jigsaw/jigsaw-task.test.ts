import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { assembleTiles } from './assemble-tiles';
import { jigsawTask } from './jigsaw-task';

const IDENTITY = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const REVERSED = [8, 7, 6, 5, 4, 3, 2, 1, 0];
const exact = { permutations: [IDENTITY, REVERSED], jitter: false, grayscale: 0, normalize: false };

describe('jigsawTask', () => {
  it('reassembles the image with the identity permutation (row-major tiles); the reversed one reverses the tiles', async () => {
    const x = randomImages(1, [6, 9, 9, 2]);
    const { inputs, targets } = jigsawTask(key(0), x, { ...exact, tileSize: 3 });
    expect(inputs.shape).toEqual([6, 9, 3, 3, 2]);
    const labels = Array.from(await targets.data());
    expect(new Set(labels)).toEqual(new Set([0, 1])); // both occur for this key
    const grid = assembleTiles(inputs);
    const img = await Img.of(x);
    const out = await Img.of(grid);
    for (let b = 0; b < 6; b++)
      for (let y = 0; y < 9; y++)
        for (let xx = 0; xx < 9; xx++)
          for (let c = 0; c < 2; c++) {
            // position (row, col) of the grid holds tile perm[3 row + col]
            const k = Math.floor(y / 3) * 3 + Math.floor(xx / 3);
            const tile = (labels[b] === 0 ? IDENTITY : REVERSED)[k]!;
            const sy = Math.floor(tile / 3) * 3 + (y % 3);
            const sx = (tile % 3) * 3 + (xx % 3);
            expect(out.get(b, y, xx, c)).toBe(img.get(b, sy, sx, c));
          }
    tf.dispose([x, inputs, targets, grid]);
  });

  it('cuts jittered tiles inside their cells and standardises each, as a naive loop does', async () => {
    const x = randomImages(2, [3, 12, 15, 3]);
    const options = {
      permutations: [IDENTITY, REVERSED, [1, 0, 2, 3, 4, 5, 6, 8, 7]],
      tileSize: 3,
      grayscale: 0,
    };
    const { inputs, targets, offsets } = jigsawTask(key(7), x, options);
    expect(inputs.shape).toEqual([3, 9, 3, 3, 3]);
    const labels = Array.from(await targets.data());
    const img = await Img.of(x);
    const expected = new Float32Array(3 * 9 * 3 * 3 * 3);
    for (let b = 0; b < 3; b++)
      for (let k = 0; k < 9; k++) {
        const tile = options.permutations[labels[b]!]![k]!;
        const oy = offsets[2 * (b * 9 + tile)]!;
        const ox = offsets[2 * (b * 9 + tile) + 1]!;
        expect(oy).toBeGreaterThanOrEqual(0);
        expect(oy).toBeLessThanOrEqual(4 - 3); // cells are 4 x 5
        expect(ox).toBeLessThanOrEqual(5 - 3);
        for (let c = 0; c < 3; c++) {
          const values: number[] = [];
          for (let r = 0; r < 3; r++)
            for (let s = 0; s < 3; s++)
              values.push(img.get(b, Math.floor(tile / 3) * 4 + oy + r, (tile % 3) * 5 + ox + s, c));
          const mean = values.reduce((a, v) => a + v, 0) / 9;
          const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 9);
          values.forEach((v, i) => {
            expected[((b * 9 + k) * 9 + i) * 3 + c] = (v - mean) / std;
          });
        }
      }
    await expectTensorClose(inputs, tf.tensor(expected, inputs.shape), { rtol: 1e-4, atol: 1e-4 });
    tf.dispose([x, inputs, targets]);
  });

  it('turns flagged images grey (all channels equal) and leaves a flat tile at zero after standardising', async () => {
    const x = randomImages(3, [2, 6, 6, 3]);
    const { inputs, gray } = jigsawTask(key(1), x, { ...exact, grayscale: 1, tileSize: 2 });
    expect(Array.from(gray)).toEqual([1, 1]);
    const t = await Img.of(inputs);
    for (let i = 0; i < t.data.length; i += 3) {
      expect(t.data[i + 1]).toBeCloseTo(t.data[i]!, 6);
      expect(t.data[i + 2]).toBeCloseTo(t.data[i]!, 6);
    }
    const flat = tf.fill([1, 6, 6, 1], 0.3);
    const out = jigsawTask(key(1), flat, { ...exact, normalize: true, tileSize: 2 });
    expect(Math.max(...Array.from(await out.inputs.data()).map(Math.abs))).toBeLessThan(1e-5);
    tf.dispose([x, inputs, flat, out.inputs, out.targets]);
  });

  it('is deterministic from its key', async () => {
    const x = randomImages(4, [4, 9, 9, 1]);
    const a = jigsawTask(key(2), x, { permutations: [IDENTITY, REVERSED] });
    const b = jigsawTask(key(2), x, { permutations: [IDENTITY, REVERSED] });
    expect(Array.from(await a.inputs.data())).toEqual(Array.from(await b.inputs.data()));
    expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
    tf.dispose([x, a.inputs, a.targets, b.inputs, b.targets]);
  });

  it('refuses sizes that are not multiples of 3, too few permutations, bad rows and oversized tiles', () => {
    const x = tf.zeros([1, 10, 9, 1]);
    expect(() => jigsawTask(key(0), x, { permutations: [IDENTITY, REVERSED] })).toThrow(ShapeError);
    expect(() => jigsawTask(key(0), x, { permutations: [IDENTITY, REVERSED] })).toThrow(
      "jigsawTask: 'images' has shape [1,10,9,1] but its height and width must be multiples of 3 (3x3 cells); crop to [B,9,9,1] first.",
    );
    const y = tf.zeros([1, 9, 9, 1]);
    expect(() => jigsawTask(key(0), y, { permutations: [IDENTITY] })).toThrow(
      "jigsawTask: 'permutations' is 1 permutation(s) but expected at least 2 permutations of 0..8",
    );
    expect(() => jigsawTask(key(0), y, { permutations: [IDENTITY, [0, 0, 1, 2, 3, 4, 5, 6, 7]] })).toThrow(
      "jigsawTask: 'permutations[1]' is [0,0,1,2,3,4,5,6,7] but expected a permutation of 0..8.",
    );
    expect(() => jigsawTask(key(0), y, { permutations: [IDENTITY, REVERSED], tileSize: 4 })).toThrow(
      ArgumentError,
    );
    tf.dispose([x, y]);
  });

  it('leaks nothing', async () => {
    const x = randomImages(5, [2, 9, 9, 3]);
    await expectNoLeaks(() => jigsawTask(key(3), x, { permutations: [IDENTITY, REVERSED], grayscale: 0.5 }));
    const tiles = tf.zeros([1, 9, 2, 2, 1]);
    await expectNoLeaks(() => assembleTiles(tiles));
    tf.dispose([x, tiles]);
  });
});
