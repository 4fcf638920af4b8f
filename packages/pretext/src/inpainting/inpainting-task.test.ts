import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { inpaintingTask } from './inpainting-task';

describe('inpaintingTask', () => {
  it("'central' predicts the centre half: a 4x4 hole inside a 2 px band weighted 10, filled with the channel means", async () => {
    const x = randomImages(1, [2, 16, 16, 2]);
    const { inputs, targets, hole, weights } = inpaintingTask(key(0), x, { overlap: 2 });
    const [img, inp, h, w] = await Promise.all([Img.of(x), Img.of(inputs), Img.of(hole), Img.of(weights)]);
    // channel means over the batch, by a naive loop
    const means = [0, 1].map((c) => {
      let s = 0;
      for (let b = 0; b < 2; b++)
        for (let y = 0; y < 16; y++) for (let xx = 0; xx < 16; xx++) s += img.get(b, y, xx, c);
      return s / 512;
    });
    let holeCount = 0;
    let bandCount = 0;
    for (let b = 0; b < 2; b++)
      for (let y = 0; y < 16; y++)
        for (let xx = 0; xx < 16; xx++) {
          const inRegion = y >= 4 && y < 12 && xx >= 4 && xx < 12; // centre 8x8 of 16x16
          const inHole = y >= 6 && y < 10 && xx >= 6 && xx < 10; // shrunk by the overlap, 2
          expect(h.get(b, y, xx, 0)).toBe(inHole ? 1 : 0);
          expect(w.get(b, y, xx, 0)).toBe(inHole ? 1 : inRegion ? 10 : 0);
          holeCount += inHole ? 1 : 0;
          bandCount += inRegion && !inHole ? 1 : 0;
          for (let c = 0; c < 2; c++) {
            if (inHole) expect(inp.get(b, y, xx, c)).toBeCloseTo(means[c]!, 5);
            else expect(inp.get(b, y, xx, c)).toBe(img.get(b, y, xx, c));
          }
        }
    expect([holeCount, bandCount]).toEqual([32, 96]);
    expect(Array.from(await targets.data())).toEqual(Array.from(img.data));
    tf.dispose([x, inputs, targets, hole, weights]);
  });

  it("'random' holes cover exactly round(fraction H W) pixels; the band is every visible pixel within the overlap", async () => {
    const x = randomImages(2, [3, 12, 10, 1]);
    const shared = inpaintingTask(key(1), x, { region: 'random', fraction: 0.3, overlap: 1, fill: 0 });
    const own = inpaintingTask(key(1), x, {
      region: 'random',
      fraction: 0.3,
      overlap: 1,
      fill: 0,
      perSample: true,
    });
    const [h, w, ho] = await Promise.all([Img.of(shared.hole), Img.of(shared.weights), Img.of(own.hole)]);
    const maskOf = (img: Img, b: number) => Array.from(img.data.subarray(b * 120, (b + 1) * 120));
    for (let b = 0; b < 3; b++) {
      expect(maskOf(h, b).reduce((a, v) => a + v, 0)).toBe(36); // round(0.3 * 120)
      expect(maskOf(ho, b).reduce((a, v) => a + v, 0)).toBe(36);
      expect(maskOf(h, b)).toEqual(maskOf(h, 0)); // one mask per batch by default
    }
    expect(maskOf(ho, 1)).not.toEqual(maskOf(ho, 0));
    for (let y = 0; y < 12; y++)
      for (let xx = 0; xx < 10; xx++) {
        let near = false;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xz = xx + dx;
            if (yy >= 0 && yy < 12 && xz >= 0 && xz < 10 && h.get(0, yy, xz, 0) === 1) near = true;
          }
        const expected = h.get(0, y, xx, 0) === 1 ? 1 : near ? 10 : 0;
        expect(w.get(0, y, xx, 0)).toBe(expected);
      }
    const inputs = await Img.of(shared.inputs);
    const img = await Img.of(x);
    for (let i = 0; i < 360; i++) expect(inputs.data[i]).toBe(h.data[i] === 1 ? 0 : img.data[i]);
    tf.dispose([
      x,
      shared.inputs,
      shared.targets,
      shared.hole,
      shared.weights,
      own.inputs,
      own.targets,
      own.hole,
      own.weights,
    ]);
  });

  it('fills with one value per channel on request, deterministically from the key', async () => {
    const x = randomImages(3, [1, 8, 8, 3]);
    const a = inpaintingTask(key(2), x, { region: 'random', fill: [0.1, 0.2, 0.3], overlap: 0 });
    const b = inpaintingTask(key(2), x, { region: 'random', fill: [0.1, 0.2, 0.3], overlap: 0 });
    expect(Array.from(await a.inputs.data())).toEqual(Array.from(await b.inputs.data()));
    const h = await Img.of(a.hole);
    const inp = await Img.of(a.inputs);
    for (let y = 0; y < 8; y++)
      for (let xx = 0; xx < 8; xx++)
        if (h.get(0, y, xx, 0) === 1)
          expect([0, 1, 2].map((c) => inp.get(0, y, xx, c))).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(Array.from(await a.weights.data())).toEqual(Array.from(h.data)); // overlap 0: weights are the hole
    tf.dispose([x, a.inputs, a.targets, a.hole, a.weights, b.inputs, b.targets, b.hole, b.weights]);
  });

  it('refuses a central hole swallowed by the overlap and a fill of the wrong length', () => {
    const x = tf.zeros([1, 8, 8, 3]);
    expect(() => inpaintingTask(key(0), x)).toThrow(ShapeError);
    expect(() => inpaintingTask(key(0), x)).toThrow(
      "inpaintingTask: the centre region of 'images' [1,8,8,3] is 4x4 (fraction 0.5), which leaves no hole inside an overlap band of 4; use a larger fraction or a smaller overlap.",
    );
    expect(() => inpaintingTask(key(0), x, { overlap: 1, fill: [0, 0] })).toThrow(
      "inpaintingTask: 'fill' is [0,0] but expected 'mean', a number, or 3 numbers (one per channel).",
    );
    expect(() => inpaintingTask(key(0), x, { region: 'random', fraction: 0 })).toThrow(ArgumentError);
    x.dispose();
  });

  it('leaks nothing', async () => {
    const x = randomImages(4, [2, 8, 8, 1]);
    await expectNoLeaks(() => inpaintingTask(key(0), x, { overlap: 1 }));
    await expectNoLeaks(() => inpaintingTask(key(0), x, { region: 'random', perSample: true }));
    x.dispose();
  });
});
