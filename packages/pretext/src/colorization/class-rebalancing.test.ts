import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AB_BIN_COUNT, abBins } from './ab-bins';
import { abHistogram, rebalancingWeights } from './class-rebalancing';

const Q = AB_BIN_COUNT;

function naiveWeights(counts: number[], mix: number, sigma: number): { w: number[]; p: number[] } {
  const total = counts.reduce((a, v) => a + v, 0);
  let p = counts.map((c) => c / total);
  if (sigma > 0) {
    const bins = abBins();
    const smoothed = bins.map(([a, b]) =>
      bins.reduce(
        (s, [c, d], r) => s + p[r]! * Math.exp(-((a - c) ** 2 + (b - d) ** 2) / (2 * sigma * sigma)),
        0,
      ),
    );
    const z = smoothed.reduce((a, v) => a + v, 0);
    p = smoothed.map((v) => v / z);
  }
  const raw = p.map((v) => 1 / ((1 - mix) * v + mix / Q));
  const expectation = raw.reduce((s, w, q) => s + p[q]! * w, 0);
  return { w: raw.map((w) => w / expectation), p };
}

describe('abHistogram', () => {
  it('counts pixels by nearest bin', async () => {
    const ab = tf.tensor4d([0, 0, 1, -2, 38, 12, -4, 4], [1, 2, 2, 2]);
    const counts = Array.from(await abHistogram(ab).data());
    const bins = abBins().map(([a, b]) => `${a},${b}`);
    expect(counts[bins.indexOf('0,0')]).toBe(3);
    expect(counts[bins.indexOf('40,10')]).toBe(1);
    expect(counts.reduce((a, v) => a + v, 0)).toBe(4);
    ab.dispose();
  });
});

describe('rebalancingWeights', () => {
  it('matches the formula by hand (smoothing 5, mix 0.5) and has E_p[w] = 1', async () => {
    const counts = Array.from({ length: Q }, (_, q) => ((q * 37) % 11) * (q % 3 === 0 ? 10 : 1));
    const { w, p } = naiveWeights(counts, 0.5, 5);
    const weights = rebalancingWeights(tf.tensor1d(counts));
    await expectTensorClose(weights, w, { rtol: 1e-3, atol: 1e-5 });
    const values = Array.from(await weights.data());
    expect(values.reduce((s, v, q) => s + v * p[q]!, 0)).toBeCloseTo(1, 4);
    // rare colours weigh more
    const raw = naiveWeights(counts, 0.5, 0);
    const rebalanced = rebalancingWeights(tf.tensor1d(counts), { sigma: 0 });
    await expectTensorClose(rebalanced, raw.w, { rtol: 1e-4, atol: 1e-5 });
    const zero = counts.indexOf(0);
    const common = counts.indexOf(Math.max(...counts));
    const r = Array.from(await rebalanced.data());
    expect(r[zero]).toBeGreaterThan(r[common]!);
    tf.dispose([weights, rebalanced]);
  });

  it('gives 1 everywhere for a uniform prior or mix 1', async () => {
    const uniform = tf.ones([Q]);
    await expectTensorClose(rebalancingWeights(uniform, { sigma: 0 }), new Float32Array(Q).fill(1));
    const skewed = tf.tensor1d(Array.from({ length: Q }, (_, q) => q + 1));
    await expectTensorClose(rebalancingWeights(skewed, { mix: 1 }), new Float32Array(Q).fill(1));
    tf.dispose([uniform, skewed]);
  });

  it('checks the counts shape, and leaks nothing', async () => {
    const bad = tf.ones([10]);
    expect(() => rebalancingWeights(bad)).toThrow(ShapeError);
    const counts = tf.ones([Q]);
    await expectNoLeaks(() => rebalancingWeights(counts));
    const ab = tf.zeros([1, 2, 2, 2]);
    await expectNoLeaks(() => abHistogram(ab));
    tf.dispose([bad, counts, ab]);
  });
});
