import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFinite, gradientsOf, seededMatrix, seededValues } from '../../test/support';
import { barlowTwinsLoss } from './barlow-twins-loss';

const B = 8;
const D = 5;

/**
 * The naive reference, as the authors' code: standardise each column with its batch mean and biased
 * variance plus eps, C_ij = Σ_b ẑ1_bi ẑ2_bj / B, L = Σ_i (1 - C_ii)² + λ Σ_{i≠j} C_ij².
 */
function naiveBarlow(
  z1: ArrayLike<number>,
  z2: ArrayLike<number>,
  batch: number,
  dim: number,
  lambda: number,
  eps: number,
): number {
  const standardize = (z: ArrayLike<number>): number[] => {
    const out = new Array<number>(batch * dim).fill(0);
    for (let j = 0; j < dim; j++) {
      let mu = 0;
      for (let b = 0; b < batch; b++) mu += z[b * dim + j] as number;
      mu /= batch;
      let variance = 0;
      for (let b = 0; b < batch; b++) variance += ((z[b * dim + j] as number) - mu) ** 2;
      variance /= batch;
      for (let b = 0; b < batch; b++)
        out[b * dim + j] = ((z[b * dim + j] as number) - mu) / Math.sqrt(variance + eps);
    }
    return out;
  };
  const a = standardize(z1);
  const c = standardize(z2);
  let loss = 0;
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      let cij = 0;
      for (let b = 0; b < batch; b++) cij += (a[b * dim + i] as number) * (c[b * dim + j] as number);
      cij /= batch;
      loss += i === j ? (1 - cij) ** 2 : lambda * cij ** 2;
    }
  }
  return loss;
}

const z1 = seededMatrix(90, B, D, 2, 1);
const z2 = (() => {
  // Correlated with z1 (so C has a strong diagonal), plus noise.
  const noise = seededValues(91, B, D, 1);
  const values = z1.values.map((v, i) => 0.8 * v + (noise[i] as number));
  return { tensor: tf.tensor2d(values, [B, D]), values };
})();

afterAll(() => tf.dispose([z1.tensor, z2.tensor]));

describe('barlowTwinsLoss', () => {
  it('matches a naive loop (defaults and a large lambda), as a float32 scalar', async () => {
    const loss = barlowTwinsLoss(z1.tensor, z2.tensor);
    expect([loss.shape, loss.dtype]).toEqual([[], 'float32']);
    await expectTensorClose(loss, naiveBarlow(z1.values, z2.values, B, D, 5e-3, 1e-5));
    const heavy = barlowTwinsLoss(z1.tensor, z2.tensor, { lambda: 0.5, eps: 1e-3 });
    await expectTensorClose(heavy, naiveBarlow(z1.values, z2.values, B, D, 0.5, 1e-3));
    tf.dispose([loss, heavy]);
  });

  it('is ~0 for identical whitened views and ~4D for opposite ones (hand-derived)', async () => {
    // Columns (1,-1,1,-1) and (1,1,-1,-1): mean 0, biased variance 1, orthogonal. So ẑ = z / sqrt(1 + eps),
    // C_ii = 1 / (1 + eps), C_12 = 0: L = 2 (1 - 1/(1 + eps))² ≈ 2 eps², and with z2 = -z1,
    // C_ii = -1/(1 + eps): L = 2 (1 + 1/(1 + eps))² ≈ 8.
    const eps = 1e-5;
    const z = tf.tensor2d([1, 1, -1, 1, 1, -1, -1, -1], [4, 2]);
    const negated = tf.neg(z);
    const same = barlowTwinsLoss(z, z);
    const opposite = barlowTwinsLoss(z, negated);
    await expectTensorClose(same, 2 * (1 - 1 / (1 + eps)) ** 2);
    await expectTensorClose(opposite, 2 * (1 + 1 / (1 + eps)) ** 2);
    tf.dispose([z, negated, same, opposite]);
  });

  it('passes finite-difference gradient checks for both inputs', async () => {
    await gradCheck(
      (a, b) => barlowTwinsLoss(a as tf.Tensor, b as tf.Tensor, { lambda: 0.1 }),
      [z1.tensor, z2.tensor],
    );
  });

  it('does not leak and is deterministic', async () => {
    await expectNoLeaks(() => barlowTwinsLoss(z1.tensor, z2.tensor));
    await expectNoLeaks(() => gradientsOf((a, b) => barlowTwinsLoss(a, b), [z1.tensor, z2.tensor]));
    const a = barlowTwinsLoss(z1.tensor, z2.tensor);
    const b = barlowTwinsLoss(z1.tensor, z2.tensor);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
  });

  it('stays finite for identical inputs and for zero (constant) vectors', async () => {
    const same = barlowTwinsLoss(z1.tensor, z1.tensor);
    await expectTensorClose(same, naiveBarlow(z1.values, z1.values, B, D, 5e-3, 1e-5));
    const zeros = tf.zeros([B, D]);
    // Constant columns standardise to 0 (0 / sqrt(eps)), so C = 0 and L = Σ_i 1 = D.
    const zeroLoss = barlowTwinsLoss(zeros, zeros);
    await expectTensorClose(zeroLoss, D);
    const grads = gradientsOf((a, b) => barlowTwinsLoss(a, b), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([same, zeros, zeroLoss, ...grads]);
  });

  it('rejects mismatched shapes (naming both), a batch of 1, wrong dtypes and bad options', () => {
    const wide = tf.zeros([B, D + 1]);
    const single = tf.zeros([1, D]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => barlowTwinsLoss(z1.tensor, wide)).toThrow(
      "barlowTwinsLoss: 'z2' has shape [8,6] but 'z1' has [8,5]; both must be [B,D] with equal sizes.",
    );
    expect(() => barlowTwinsLoss(single, single)).toThrow(
      "barlowTwinsLoss: 'z1' has shape [1,5] but expected [B,D] with at least 2 rows (batch statistics) and D >= 1.",
    );
    expect(() => barlowTwinsLoss(single, single)).toThrow(ShapeError);
    expect(() => barlowTwinsLoss(ints, z2.tensor)).toThrow(DTypeError);
    expect(() => barlowTwinsLoss(z1.tensor, z2.tensor, { lambda: -1 })).toThrow(
      "barlowTwinsLoss: 'lambda' is -1 but expected a finite number >= 0.",
    );
    expect(() => barlowTwinsLoss(z1.tensor, z2.tensor, { eps: 0 })).toThrow(ArgumentError);
    tf.dispose([wide, single, ints]);
  });
});
