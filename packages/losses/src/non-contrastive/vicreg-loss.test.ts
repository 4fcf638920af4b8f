import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectFinite, gradientsOf, seededMatrix, seededValues } from '../../test/support';
import { vicregLoss, vicregTerms } from './vicreg-loss';

const B = 8;
const D = 5;

/** The naive reference, as facebookresearch/vicreg: unbiased variance and covariance, variance averaged over branches. */
function naiveTerms(
  z1: ArrayLike<number>,
  z2: ArrayLike<number>,
  { eps = 1e-4, targetStd = 1 }: { eps?: number; targetStd?: number } = {},
): { invariance: number; variance: number; covariance: number } {
  let invariance = 0;
  for (let i = 0; i < B * D; i++) invariance += ((z1[i] as number) - (z2[i] as number)) ** 2;
  invariance /= B * D;
  const branch = (z: ArrayLike<number>): [number, number] => {
    const centred = new Array<number>(B * D).fill(0);
    for (let j = 0; j < D; j++) {
      let mu = 0;
      for (let b = 0; b < B; b++) mu += z[b * D + j] as number;
      mu /= B;
      for (let b = 0; b < B; b++) centred[b * D + j] = (z[b * D + j] as number) - mu;
    }
    let hinge = 0;
    let offDiagonal = 0;
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let cov = 0;
        for (let b = 0; b < B; b++) cov += (centred[b * D + i] as number) * (centred[b * D + j] as number);
        cov /= B - 1;
        if (i === j) hinge += Math.max(0, targetStd - Math.sqrt(cov + eps));
        else offDiagonal += cov ** 2;
      }
    }
    return [hinge / D, offDiagonal / D];
  };
  const [v1, c1] = branch(z1);
  const [v2, c2] = branch(z2);
  return { invariance, variance: 0.5 * (v1 + v2), covariance: c1 + c2 };
}

// Column stds around 0.6 (below the target 1, so the hinge is active) with correlated columns.
const z1 = seededMatrix(100, B, D, 0.6);
const z2 = (() => {
  const noise = seededValues(101, B, D, 0.3);
  const values = z1.values.map((v, i) => v + (noise[i] as number));
  return { tensor: tf.tensor2d(values, [B, D]), values };
})();

afterAll(() => tf.dispose([z1.tensor, z2.tensor]));

describe('vicregTerms and vicregLoss', () => {
  it('match a naive loop term by term, as float32 scalars', async () => {
    const expected = naiveTerms(z1.values, z2.values);
    const terms = vicregTerms(z1.tensor, z2.tensor);
    for (const t of [terms.invariance, terms.variance, terms.covariance])
      expect([t.shape, t.dtype]).toEqual([[], 'float32']);
    await expectTensorClose(terms.invariance, expected.invariance);
    await expectTensorClose(terms.variance, expected.variance);
    await expectTensorClose(terms.covariance, expected.covariance);
    expect(expected.variance).toBeGreaterThan(0); // the hinge is active in this data
    const loss = vicregLoss(z1.tensor, z2.tensor);
    await expectTensorClose(loss, 25 * expected.invariance + 25 * expected.variance + expected.covariance);
    tf.dispose([terms.invariance, terms.variance, terms.covariance, loss]);
  });

  it('uses the weights, eps and targetStd it is given', async () => {
    const options = { invariance: 2, variance: 3, covariance: 0.5, eps: 1e-2, targetStd: 0.5 };
    const expected = naiveTerms(z1.values, z2.values, options);
    const loss = vicregLoss(z1.tensor, z2.tensor, options);
    await expectTensorClose(
      loss,
      2 * expected.invariance + 3 * expected.variance + 0.5 * expected.covariance,
    );
    loss.dispose();
  });

  it('is 0 for identical views with uncorrelated columns of std >= target (hand-derived)', async () => {
    // Columns (2,-2,2,-2) and (2,2,-2,-2): mean 0, unbiased variance 16/3 (std 2.31 > 1: no hinge),
    // covariance Σ c1 c2 / 3 = 0: every term is 0.
    const z = tf.tensor2d([2, 2, -2, 2, 2, -2, -2, -2], [4, 2]);
    const loss = vicregLoss(z, z);
    await expectTensorClose(loss, 0);
    tf.dispose([z, loss]);
  });

  it('gives μ (γ - sqrt(eps)) for collapsed (zero) embeddings, with finite gradients', async () => {
    // Zero variance: std = sqrt(1e-4) = 0.01, hinge 0.99 on every dimension of both branches; the
    // invariance and covariance terms are 0. So L = 25 · 0.99.
    const zeros = tf.zeros([B, D]);
    const loss = vicregLoss(zeros, zeros);
    await expectTensorClose(loss, 25 * 0.99);
    const grads = gradientsOf((a, b) => vicregLoss(a, b), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([zeros, loss, ...grads]);
  });

  it('passes finite-difference gradient checks (each term, and the weighted loss)', async () => {
    await gradCheck((a, b) => vicregTerms(a as tf.Tensor, b as tf.Tensor).variance, [z1.tensor, z2.tensor]);
    await gradCheck((a, b) => vicregTerms(a as tf.Tensor, b as tf.Tensor).covariance, [z1.tensor, z2.tensor]);
    await gradCheck((a, b) => vicregTerms(a as tf.Tensor, b as tf.Tensor).invariance, [z1.tensor, z2.tensor]);
    await gradCheck((a, b) => vicregLoss(a as tf.Tensor, b as tf.Tensor), [z1.tensor, z2.tensor]);
  });

  it('does not leak (loss, terms, gradients) and is deterministic', async () => {
    await expectNoLeaks(() => vicregLoss(z1.tensor, z2.tensor));
    await expectNoLeaks(() => vicregTerms(z1.tensor, z2.tensor));
    await expectNoLeaks(() => gradientsOf((a, b) => vicregLoss(a, b), [z1.tensor, z2.tensor]));
    const a = vicregLoss(z1.tensor, z2.tensor);
    const b = vicregLoss(z1.tensor, z2.tensor);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
  });

  it('rejects mismatched shapes (naming both), a batch of 1, wrong dtypes and bad options', () => {
    const tall = tf.zeros([B + 1, D]);
    const single = tf.zeros([1, D]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => vicregLoss(z1.tensor, tall)).toThrow(
      "vicregLoss: 'z2' has shape [9,5] but 'z1' has [8,5]; both must be [B,D] with equal sizes.",
    );
    expect(() => vicregTerms(single, single)).toThrow(
      "vicregTerms: 'z1' has shape [1,5] but expected [B,D] with at least 2 rows (batch statistics) and D >= 1.",
    );
    expect(() => vicregTerms(single, single)).toThrow(ShapeError);
    expect(() => vicregLoss(z1.tensor, ints)).toThrow(DTypeError);
    expect(() => vicregLoss(z1.tensor, z2.tensor, { variance: -1 })).toThrow(
      "vicregLoss: 'variance' is -1 but expected a finite number >= 0.",
    );
    expect(() => vicregLoss(z1.tensor, z2.tensor, { eps: 0 })).toThrow(ArgumentError);
    expect(() => vicregTerms(z1.tensor, z2.tensor, { targetStd: 0 })).toThrow(
      "vicregTerms: 'targetStd' is 0 but expected a finite number > 0.",
    );
    tf.dispose([tall, single, ints]);
  });
});
