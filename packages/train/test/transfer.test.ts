import { createKey } from '@genoise/core';
import { uint8Dataset } from '@genoise/data';
import { smallConvNet } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { labelledSubset } from '../src/transfer/fine-tune';
import { fineTuneClassifier } from '../src/transfer/fine-tune-classifier';
import { fineTuneNormals } from '../src/transfer/fine-tune-normals';

/** Two classes of 8x8 grey images: a bright left half (0) or a bright right half (1), with keyed noise. */
function halves(count: number, seed: number) {
  const pixels = new Uint8Array(count * 64);
  const labels = new Int32Array(count);
  let state = seed + 1;
  const noise = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let n = 0; n < count; n++) {
    labels[n] = n % 2;
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        const bright = x < 4 === (labels[n] === 0);
        pixels[n * 64 + y * 8 + x] = Math.round(255 * (bright ? 0.6 + 0.4 * noise() : 0.4 * noise()));
      }
  }
  return uint8Dataset({
    name: 'halves',
    pixels,
    labels,
    imageShape: [8, 8, 1],
    classNames: ['left', 'right'],
  });
}

describe('labelledSubset', () => {
  it('draws a class-balanced, sorted, keyed subset', () => {
    const labels = new Int32Array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]);
    const chosen = labelledSubset(labels, 6, createKey(0));
    expect(chosen).toEqual([...chosen].sort((a, b) => a - b));
    expect(new Set(chosen).size).toBe(6);
    expect(chosen.map((i) => labels[i]).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    expect(labelledSubset(labels, 6, createKey(0))).toEqual(chosen);
    // Once a class runs out, the others fill the count.
    expect(labelledSubset(labels, 10, createKey(1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects a count outside [1, n]', () => {
    expect(() => labelledSubset(new Int32Array(3), 4, createKey(0))).toThrow(/labelledSubset.*count/);
  });
});

describe('fineTuneClassifier', () => {
  it('learns a separable task from a few labels and frees what it made', { timeout: 600_000 }, async () => {
    const [train, test] = [halves(64, 0), halves(64, 1)];
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(2) });
    const before = tf.memory().numTensors;
    const result = await fineTuneClassifier({
      encoder,
      train,
      test,
      labelled: labelledSubset(train.labels!, 16, createKey(3)),
      steps: 30,
      batchSize: 16,
      learningRate: 1e-2,
      key: createKey(4),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.losses).toHaveLength(30);
    expect(result.losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(result.losses[0]!);
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    encoder.dispose();
  });
});

describe('fineTuneNormals', () => {
  it('fits the normals of a tilted plane and reports angular errors in degrees', {
    timeout: 600_000,
  }, async () => {
    // Every view shows one plane whose normal its brightness encodes: bright faces up (0,-1,0), dark faces the camera (0,0,-1).
    const views = (count: number) => ({
      count,
      batch: (indices: readonly number[]) =>
        tf.tidy(() => {
          const up = tf.tensor1d(indices.map((i) => i % 2)); // [n]
          const image = tf.mul(
            tf.ones([indices.length, 8, 8, 1]),
            tf.reshape(tf.add(0.2, tf.mul(up, 0.6)), [-1, 1, 1, 1]),
          ) as tf.Tensor4D;
          const normal = tf.concat(
            [
              tf.zeros([indices.length, 8, 8, 1]),
              tf.mul(tf.ones([indices.length, 8, 8, 1]), tf.reshape(tf.neg(up), [-1, 1, 1, 1])),
              tf.mul(tf.ones([indices.length, 8, 8, 1]), tf.reshape(tf.sub(up, 1), [-1, 1, 1, 1])),
            ],
            -1,
          ) as tf.Tensor4D;
          return { image, normal, valid: tf.ones([indices.length, 8, 8, 1]) as tf.Tensor4D };
        }),
    });
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(5) });
    const before = tf.memory().numTensors;
    const { metrics, losses } = await fineTuneNormals({
      encoder,
      train: views(8),
      test: views(4),
      steps: 40,
      batchSize: 8,
      learningRate: 1e-2,
      key: createKey(6),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(losses[0]!);
    expect(metrics.count).toBe(4 * 64);
    expect(metrics.mean).toBeGreaterThanOrEqual(0);
    expect(metrics.mean).toBeLessThan(45); // a constant guess between the two normals is 45 degrees off
    expect(metrics.median).toBeLessThanOrEqual(180);
    expect(metrics.within30).toBeGreaterThan(50);
    encoder.dispose();
  });
});
