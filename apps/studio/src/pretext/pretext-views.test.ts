import { createKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { sceneSample } from '../lib/sample-images';
import {
  colorizationView,
  denoisingView,
  inpaintingView,
  jigsawView,
  type Picture,
  pagePermutations,
  relativeLocationView,
  rotationView,
} from './pretext-views';

const SIDE = 28;
/** A 28 x 28 grey image with distinct values: v(y, x) = (y * 28 + x) / 784. */
const values = Float32Array.from({ length: SIDE * SIDE }, (_, i) => i / (SIDE * SIDE));
const at = (y: number, x: number) => values[y * SIDE + x]!;
const image = () => tf.tensor4d(values, [1, SIDE, SIDE, 1]);

/** The `size` x `size` crop at (top, left), min-max stretched as the page draws tiles. */
function stretchedCrop(top: number, left: number, size: number): number[] {
  const crop: number[] = [];
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) crop.push(at(top + y, left + x));
  const [min, max] = [Math.min(...crop), Math.max(...crop)];
  return crop.map((v) => (v - min) / (max - min));
}

/** Tile `t` (row-major) of a 3 x 3 grid picture. */
function tileOf(grid: Picture, t: number): number[] {
  const T = grid.height / 3;
  const out: number[] = [];
  for (let y = 0; y < T; y++)
    for (let x = 0; x < T; x++)
      out.push(grid.values[(Math.floor(t / 3) * T + y) * grid.width + (t % 3) * T + x]!);
  return out;
}

describe('pretext views', () => {
  test('rotation: quarter turn k is numpy.rot90(image, k), by a naive loop', async () => {
    const x = image();
    const before = tf.memory().numTensors;
    const { rotations, labels } = await rotationView(createKey(0), x);
    expect(labels).toEqual([0, 1, 2, 3]);
    // rot90 (counter-clockwise): out[y][x] = in[x][W - 1 - y].
    for (let y = 0; y < SIDE; y++)
      for (let c = 0; c < SIDE; c++) {
        expect(rotations[0]!.values[y * SIDE + c]).toBe(at(y, c));
        expect(rotations[1]!.values[y * SIDE + c]).toBe(at(c, SIDE - 1 - y));
      }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('jigsaw: the identity permutation puts the tiles back; the shuffled grid is that permutation of them', async () => {
    const x = image();
    const set = pagePermutations();
    expect(set.permutations).toHaveLength(100);
    expect(set.permutations[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const before = tf.memory().numTensors;
    const view = await jigsawView(createKey(5), x, set);
    expect(tf.memory().numTensors).toBe(before);
    expect(view.image.height).toBe(27);
    expect(view.tileSize).toBe(7); // round(9 * 64 / 85)
    for (let t = 0; t < 9; t++) {
      const [top, left] = view.boxes[t]!;
      // Inside its own 9 x 9 cell.
      expect(top - Math.floor(t / 3) * 9).toBeGreaterThanOrEqual(0);
      expect(top - Math.floor(t / 3) * 9 + 7).toBeLessThanOrEqual(9);
      const expected = stretchedCrop(top, left, 7);
      tileOf(view.inPlace, t).forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i]!, 4);
      });
    }
    expect(view.permutation).toEqual(set.permutations[view.index]);
    for (let k = 0; k < 9; k++)
      expect(tileOf(view.shuffled, k)).toEqual(tileOf(view.inPlace, view.permutation[k]!));
    x.dispose();
  });

  test('relative location: the patches are the image at their boxes, one cell apart', async () => {
    const x = image();
    const before = tf.memory().numTensors;
    // Several keys, so at least one pair is not resampled (p 0.5 each patch).
    let checked = 0;
    for (let seed = 0; seed < 6; seed++) {
      const view = await relativeLocationView(createKey(seed), x);
      const [cy, cx] = view.centreBox;
      const [ny, nx] = view.neighbourBox;
      const stride = view.patchSize + view.gap;
      expect(Math.abs(ny - cy - view.offset[0] * stride)).toBeLessThanOrEqual(2 * view.jitter);
      expect(Math.abs(nx - cx - view.offset[1] * stride)).toBeLessThanOrEqual(2 * view.jitter);
      if (view.sides[0] !== view.patchSize) continue;
      checked++;
      for (let y = 0; y < 7; y++)
        for (let c = 0; c < 7; c++) expect(view.centre.values[y * 7 + c]).toBeCloseTo(at(cy + y, cx + c), 6);
    }
    expect(checked).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('inpainting: a 14-px centre, a 10 x 10 hole, a 2-px band; the input is the image outside the hole', async () => {
    const x = image();
    const before = tf.memory().numTensors;
    const view = await inpaintingView(createKey(0), x, 'central');
    expect(view.holePixels).toBe(100);
    expect(view.bandPixels).toBe(14 * 14 - 100);
    view.hole.values.forEach((h, i) => {
      if (h === 0) expect(view.input.values[i]).toBe(values[i]);
    });
    const random = await inpaintingView(createKey(1), x, 'random');
    expect(random.holePixels).toBe(Math.round(0.25 * SIDE * SIDE));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('denoising: masking hits exactly round(level d) pixels, sets them to 0, and the target is clean', async () => {
    const x = image();
    const before = tf.memory().numTensors;
    const view = await denoisingView(createKey(2), x, 'masking', 0.3);
    expect(view.fraction).toBeCloseTo(Math.round(0.3 * 784) / 784, 12);
    view.corrupted.values.forEach((m, i) => {
      expect(view.input.values[i]).toBe(m === 1 ? 0 : values[i]);
    });
    expect(Array.from(view.target.values)).toEqual(Array.from(values));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  test('colorization: soft targets sum to 1 per pixel over 261 bins; the histogram counts every pixel', async () => {
    const scene = sceneSample(1, 24);
    const x = tf.tensor4d(scene.values, [1, 24, 24, 3]);
    const before = tf.memory().numTensors;
    const view = await colorizationView(createKey(0), x);
    expect(view.targets.length).toBe(24 * 24 * 261);
    for (const p of [0, 100, 575]) {
      const row = view.targets.subarray(p * 261, (p + 1) * 261);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(Array.from(row).filter((v) => v > 0).length).toBeLessThanOrEqual(5);
    }
    expect(view.counts.reduce((s, v) => s + v, 0)).toBe(24 * 24);
    expect(view.lightness.channels).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
