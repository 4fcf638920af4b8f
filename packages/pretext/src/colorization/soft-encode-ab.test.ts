import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AB_BIN_COUNT, abBins } from './ab-bins';
import { softEncodeAb } from './soft-encode-ab';

function naiveEncode(a: number, b: number, k: number, sigma: number): Float64Array {
  const bins = abBins();
  const d2 = bins.map(([ca, cb], q) => [(a - ca) ** 2 + (b - cb) ** 2, q] as const);
  const nearest = [...d2].sort((u, v) => u[0] - v[0]).slice(0, k);
  const weights = nearest.map(([d]) => Math.exp(-d / (2 * sigma * sigma)));
  const total = weights.reduce((s, w) => s + w, 0);
  const out = new Float64Array(bins.length);
  nearest.forEach(([, q], j) => {
    out[q] = weights[j]! / total;
  });
  return out;
}

describe('softEncodeAb', () => {
  it('puts a value at a bin centre on that bin and its 4 grid neighbours: 1 and e^-2, normalised', async () => {
    const ab = tf.tensor4d([0, 0], [1, 1, 1, 2]);
    const encoded = Array.from(await softEncodeAb(ab).data());
    const bins = abBins().map(([a, b]) => `${a},${b}`);
    const norm = 1 + 4 * Math.exp(-2);
    expect(encoded[bins.indexOf('0,0')]).toBeCloseTo(1 / norm, 6);
    for (const n of ['10,0', '-10,0', '0,10', '0,-10'])
      expect(encoded[bins.indexOf(n)]).toBeCloseTo(Math.exp(-2) / norm, 6);
    expect(encoded.filter((v) => v > 0)).toHaveLength(5);
    ab.dispose();
  });

  it('matches a naive nearest-bins loop on random ab values; rows sum to 1', async () => {
    const values = [13.7, -42.1, -55.3, 20.9, 71.2, 60.4, 2.2, 3.3, -30.5, -80.1, 45.5, -12.25];
    const ab = tf.tensor4d(values, [2, 1, 3, 2]);
    for (const [k, sigma] of [
      [5, 5],
      [10, 8],
    ] as const) {
      const encoded = softEncodeAb(ab, { neighbours: k, sigma });
      expect(encoded.shape).toEqual([2, 1, 3, AB_BIN_COUNT]);
      const expected: number[] = [];
      for (let i = 0; i < 6; i++) expected.push(...naiveEncode(values[2 * i]!, values[2 * i + 1]!, k, sigma));
      await expectTensorClose(encoded, tf.tensor(expected, encoded.shape), { rtol: 1e-4, atol: 1e-5 });
      const sums = tf.sum(encoded, 3);
      await expectTensorClose(sums, tf.ones([2, 1, 3]));
      tf.dispose([encoded, sums]);
    }
    ab.dispose();
  });

  it('checks its input and options, and leaks nothing', async () => {
    const wrong = tf.zeros([1, 2, 2, 3]);
    expect(() => softEncodeAb(wrong)).toThrow(ShapeError);
    const ab = tf.zeros([1, 2, 2, 2]);
    expect(() => softEncodeAb(ab, { neighbours: 0 })).toThrow(ArgumentError);
    expect(() => softEncodeAb(ab, { sigma: 0 })).toThrow(ArgumentError);
    await expectNoLeaks(() => softEncodeAb(ab));
    tf.dispose([wrong, ab]);
  });
});
