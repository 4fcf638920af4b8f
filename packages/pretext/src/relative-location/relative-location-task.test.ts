import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Img, key, randomImages } from '../../test/helpers';
import { NEIGHBOURS, relativeLocationTask } from './relative-location-task';

const plain = { colorDropping: 0, downsample: 0 };

async function expectCrops(
  images: tf.Tensor4D,
  patches: tf.Tensor4D,
  boxes: Int32Array,
  which: 0 | 1,
  perImage: number,
) {
  const img = await Img.of(images);
  const out = await Img.of(patches);
  const [N, P, , C] = patches.shape;
  for (let i = 0; i < N; i++) {
    const b = Math.floor(i / perImage);
    const [y0, x0] = [boxes[4 * i + 2 * which]!, boxes[4 * i + 2 * which + 1]!];
    for (let y = 0; y < P; y++)
      for (let x = 0; x < P; x++)
        for (let c = 0; c < C; c++) expect(out.get(i, y, x, c)).toBe(img.get(b, y0 + y, x0 + x, c));
  }
}

describe('relativeLocationTask', () => {
  it('crops a centre and the labelled neighbour one stride (patch + gap) away, exactly', async () => {
    const x = randomImages(1, [16, 14, 15, 2]);
    const { inputs, targets, boxes } = relativeLocationTask(key(0), x, {
      patchSize: 3,
      gap: 2,
      jitter: 0,
      ...plain,
    });
    expect(inputs[0].shape).toEqual([16, 3, 3, 2]);
    expect(inputs[1].shape).toEqual([16, 3, 3, 2]);
    const labels = Array.from(await targets.data());
    expect(new Set(labels).size).toBeGreaterThan(4);
    labels.forEach((label, i) => {
      const [dy, dx] = NEIGHBOURS[label]!;
      expect(boxes[4 * i + 2]! - boxes[4 * i]!).toBe(5 * dy);
      expect(boxes[4 * i + 3]! - boxes[4 * i + 1]!).toBe(5 * dx);
    });
    await expectCrops(x, inputs[0], boxes, 0, 1);
    await expectCrops(x, inputs[1], boxes, 1, 1);
    tf.dispose([x, ...inputs, targets]);
  });

  it("keeps every jittered patch inside the image; 'all' gives the 8 neighbours of one centre", async () => {
    const x = randomImages(2, [4, 13, 13, 1]);
    const { inputs, targets, boxes } = relativeLocationTask(key(1), x, {
      patchSize: 3,
      gap: 1,
      jitter: 1,
      pairs: 'all',
      ...plain,
    });
    expect(inputs[0].shape).toEqual([32, 3, 3, 1]);
    expect(Array.from(await targets.data())).toEqual(Array.from({ length: 32 }, (_, i) => i % 8));
    for (let i = 0; i < 32; i++) {
      for (const v of boxes.subarray(4 * i, 4 * i + 4)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(13 - 3);
      }
      const b = Math.floor(i / 8);
      expect(boxes[4 * i]).toBe(boxes[4 * 8 * b]); // one centre per image
      const [dy, dx] = NEIGHBOURS[i % 8]!;
      expect(Math.abs(boxes[4 * i + 2]! - boxes[4 * i]! - 4 * dy)).toBeLessThanOrEqual(2);
      expect(Math.abs(boxes[4 * i + 3]! - boxes[4 * i + 1]! - 4 * dx)).toBeLessThanOrEqual(2);
    }
    await expectCrops(x, inputs[1], boxes, 1, 8);
    tf.dispose([x, ...inputs, targets]);
  });

  it('colour dropping keeps one channel exactly and fills the others with faint noise around 0.5', async () => {
    const x = randomImages(3, [6, 12, 12, 3]);
    const out = relativeLocationTask(key(2), x, { patchSize: 4, gap: 0, jitter: 0, downsample: 0 });
    const clean = relativeLocationTask(key(2), x, { patchSize: 4, gap: 0, jitter: 0, ...plain });
    const a = await Img.of(out.inputs[0]);
    const ref = await Img.of(clean.inputs[0]);
    for (let i = 0; i < 6; i++) {
      const kept = out.keptChannel[i]!;
      expect([0, 1, 2]).toContain(kept);
      let sum = 0;
      for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) sum += ref.get(i, y, xx, kept);
      const mean = sum / 16;
      let sq = 0;
      for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) sq += (ref.get(i, y, xx, kept) - mean) ** 2;
      const std = Math.sqrt(sq / 16);
      for (let y = 0; y < 4; y++)
        for (let xx = 0; xx < 4; xx++)
          for (let c = 0; c < 3; c++) {
            if (c === kept) expect(a.get(i, y, xx, c)).toBeCloseTo(ref.get(i, y, xx, c), 6);
            else expect(Math.abs(a.get(i, y, xx, c) - 0.5)).toBeLessThanOrEqual((6 * std) / 100 + 1e-6);
          }
    }
    tf.dispose([x, ...out.inputs, out.targets, ...clean.inputs, clean.targets]);
  });

  it('down-and-up-sampling draws sides in [minScale P, P] and keeps flat patches flat', async () => {
    const x = tf.fill([8, 12, 12, 1], 0.25) as tf.Tensor4D;
    const out = relativeLocationTask(key(4), x, {
      patchSize: 4,
      gap: 0,
      jitter: 0,
      downsample: 1,
      minScale: 0.5,
    });
    for (const s of out.sides) {
      expect(s).toBeGreaterThanOrEqual(2);
      expect(s).toBeLessThanOrEqual(4);
    }
    expect(Array.from(out.sides).some((s) => s < 4)).toBe(true);
    for (const v of await out.inputs[0].data()) expect(v).toBeCloseTo(0.25, 6);
    tf.dispose([x, ...out.inputs, out.targets]);
  });

  it('is deterministic from its key', async () => {
    const x = randomImages(5, [3, 12, 12, 3]);
    const a = relativeLocationTask(key(9), x, { patchSize: 3, gap: 1 });
    const b = relativeLocationTask(key(9), x, { patchSize: 3, gap: 1 });
    expect(Array.from(await a.inputs[1].data())).toEqual(Array.from(await b.inputs[1].data()));
    expect(Array.from(a.boxes)).toEqual(Array.from(b.boxes));
    tf.dispose([x, ...a.inputs, a.targets, ...b.inputs, b.targets]);
  });

  it('refuses images too small for the grid and bad options', () => {
    const x = tf.zeros([1, 10, 12, 1]);
    expect(() => relativeLocationTask(key(0), x, { patchSize: 3, gap: 1, jitter: 0 })).toThrow(ShapeError);
    expect(() => relativeLocationTask(key(0), x, { patchSize: 3, gap: 1, jitter: 1 })).toThrow(
      "relativeLocationTask: 'images' has shape [1,10,12,1] but the 3x3 grid needs height and width >= 3 patchSize + 2 gap + 2 jitter = 13; use smaller patches, gap or jitter.",
    );
    expect(() => relativeLocationTask(key(0), x, { patchSize: 2, pairs: 'some' as 'all' })).toThrow(
      ArgumentError,
    );
    expect(() => relativeLocationTask(key(0), x, { patchSize: 0 })).toThrow(ArgumentError);
    expect(() => relativeLocationTask(key(0), x, { patchSize: 2, colour: 1 } as never)).toThrow(
      ArgumentError,
    );
    x.dispose();
  });

  it('leaks nothing', async () => {
    const x = randomImages(6, [2, 12, 12, 3]);
    await expectNoLeaks(() => relativeLocationTask(key(3), x, { patchSize: 3, gap: 1, downsample: 1 }));
    await expectNoLeaks(() => relativeLocationTask(key(3), x, { patchSize: 3, gap: 1, pairs: 'all' }));
    x.dispose();
  });
});
