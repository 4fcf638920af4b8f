import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dot,
  expectFinite,
  gradientsOf,
  logSumExp,
  mean,
  oneHots,
  row,
  scalarOf,
  seededMatrix,
  seededValues,
  unit,
} from '../../test/support';
import { infoNCE } from './info-nce';

const B = 5;
const D = 8;
const N = 7;

/** The naive reference: per-query InfoNCE in float64, negatives shared `[N, D]` or per query `[B, N, D]`. */
function naiveInfoNCE(
  q: Float32Array,
  p: Float32Array,
  negatives: Float32Array,
  {
    batch,
    dim,
    count,
    perQuery,
    temperature,
    normalize,
  }: {
    batch: number;
    dim: number;
    count: number;
    perQuery: boolean;
    temperature: number;
    normalize: boolean;
  },
): number[] {
  const prep = (v: number[]) => (normalize ? unit(v) : v);
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const qb = prep(row(q, b, dim));
    const positive = dot(qb, prep(row(p, b, dim))) / temperature;
    const logits = [positive];
    for (let n = 0; n < count; n++) {
      const neg = prep(row(negatives, perQuery ? b * count + n : n, dim));
      logits.push(dot(qb, neg) / temperature);
    }
    out.push(logSumExp(logits) - positive);
  }
  return out;
}

const query = seededMatrix(1, B, D);
const positive = (() => {
  // A noisy copy of the query, so positives score higher than chance.
  const noise = seededValues(2, B, D, 0.5);
  const values = query.values.map((v, i) => v + (noise[i] as number));
  return { tensor: tf.tensor2d(values, [B, D]), values };
})();
const shared = seededMatrix(3, N, D);
const perQueryValues = seededValues(4, B * N, D);
const perQuery = tf.tensor3d(perQueryValues, [B, N, D]);

afterAll(() => tf.dispose([query.tensor, positive.tensor, shared.tensor, perQuery]));

describe('infoNCE', () => {
  it('returns a float32 scalar by default, a scalar for sum and [B] for none', () => {
    const loss = infoNCE(query.tensor, positive.tensor, shared.tensor);
    const sum = infoNCE(query.tensor, positive.tensor, shared.tensor, { reduction: 'sum' });
    const none = infoNCE(query.tensor, positive.tensor, perQuery, { reduction: 'none' });
    expect(loss.shape).toEqual([]);
    expect(sum.shape).toEqual([]);
    expect(none.shape).toEqual([B]);
    expect([loss.dtype, sum.dtype, none.dtype]).toEqual(['float32', 'float32', 'float32']);
    tf.dispose([loss, sum, none]);
  });

  for (const normalize of [true, false]) {
    for (const mode of ['shared', 'per-query'] as const) {
      it(`matches a naive loop (${mode} negatives, normalize ${normalize})`, async () => {
        const temperature = normalize ? 0.1 : 2; // raw dot products are ~D in size: a larger T keeps logits moderate
        const negatives = mode === 'shared' ? shared.tensor : perQuery;
        const expected = naiveInfoNCE(
          query.values,
          positive.values,
          mode === 'shared' ? shared.values : perQueryValues,
          {
            batch: B,
            dim: D,
            count: N,
            perQuery: mode === 'per-query',
            temperature,
            normalize,
          },
        );
        const none = infoNCE(query.tensor, positive.tensor, negatives, {
          temperature,
          normalize,
          reduction: 'none',
        });
        const meanLoss = infoNCE(query.tensor, positive.tensor, negatives, { temperature, normalize });
        const sumLoss = infoNCE(query.tensor, positive.tensor, negatives, {
          temperature,
          normalize,
          reduction: 'sum',
        });
        await expectTensorClose(none, expected);
        await expectTensorClose(meanLoss, mean(expected));
        await expectTensorClose(
          sumLoss,
          expected.reduce((a, c) => a + c, 0),
        );
        tf.dispose([none, meanLoss, sumLoss]);
      });
    }
  }

  it('equals -log(e^(1/T) / (e^(1/T) + N)) for an aligned positive and orthogonal negatives', async () => {
    // Query and positive are both e0, so s+ = 1; the negatives e1..eN are orthogonal to e0, so s- = 0
    // and each contributes exp(0) = 1: L = -log(e^(1/T) / (e^(1/T) + N)) = log(1 + N e^(-1/T)).
    const temperature = 0.5;
    const count = 3;
    const q = tf.tensor2d(oneHots([0, 0], 4), [2, 4]);
    const negatives = tf.tensor2d(oneHots([1, 2, 3], 4), [count, 4]);
    const loss = infoNCE(q, q, negatives, { temperature });
    const e = Math.exp(1 / temperature);
    await expectTensorClose(loss, -Math.log(e / (e + count)));
    tf.dispose([q, negatives, loss]);
  });

  it('passes finite-difference gradient checks for every input (shared and per-query)', async () => {
    const fnShared = (q: tf.Tensor, p: tf.Tensor, n: tf.Tensor) => infoNCE(q, p, n, { temperature: 0.5 });
    await gradCheck(fnShared, [query.tensor, positive.tensor, shared.tensor]);
    const fnPerQuery = (q: tf.Tensor, p: tf.Tensor, n: tf.Tensor) => infoNCE(q, p, n, { temperature: 0.5 });
    await gradCheck(fnPerQuery, [query.tensor, positive.tensor, perQuery]);
    const fnRaw = (q: tf.Tensor, p: tf.Tensor, n: tf.Tensor) =>
      infoNCE(q, p, n, { temperature: 4, normalize: false });
    await gradCheck(fnRaw, [query.tensor, positive.tensor, shared.tensor]);
  });

  it('does not leak, in the forward pass or under tf.grads', async () => {
    await expectNoLeaks(() => infoNCE(query.tensor, positive.tensor, shared.tensor));
    await expectNoLeaks(() => infoNCE(query.tensor, positive.tensor, perQuery, { reduction: 'none' }));
    await expectNoLeaks(() =>
      gradientsOf((q, p, n) => infoNCE(q, p, n), [query.tensor, positive.tensor, shared.tensor]),
    );
  });

  it('is deterministic: the same inputs give bit-identical outputs', async () => {
    const a = infoNCE(query.tensor, positive.tensor, perQuery, { reduction: 'none' });
    const b = infoNCE(query.tensor, positive.tensor, perQuery, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
  });

  it('stays finite with zero vectors (norm floor, no NaN) in the loss and the gradients', async () => {
    const zeros = tf.zeros([B, D]);
    const zeroNegatives = tf.zeros([N, D]);
    const loss = infoNCE(zeros, zeros, zeroNegatives);
    // Every score is 0, so the loss is chance level: log(N + 1).
    await expectTensorClose(loss, Math.log(N + 1));
    const grads = gradientsOf((q, p, n) => infoNCE(q, p, n), [zeros, zeros, zeroNegatives]);
    await expectFinite(grads);
    tf.dispose([zeros, zeroNegatives, loss, ...grads]);
  });

  it('gives a finite loss and finite gradients at T = 0.01 with aligned vectors', async () => {
    // Logits reach 1/T = 100: exp would overflow float32 without the max-subtracted log-sum-exp.
    const loss = infoNCE(query.tensor, query.tensor, shared.tensor, { temperature: 0.01 });
    await expectFinite(loss);
    expect(await scalarOf(loss)).toBeGreaterThanOrEqual(0);
    const grads = gradientsOf(
      (q, p, n) => infoNCE(q, p, n, { temperature: 0.01 }),
      [query.tensor, query.tensor, shared.tensor],
    );
    await expectFinite(grads);
    tf.dispose([loss, ...grads]);
  });

  it('rejects wrong ranks, naming the argument and the expected shape', () => {
    const rank1 = tf.zeros([D]);
    const rank4 = tf.zeros([B, N, D, 1]);
    expect(() => infoNCE(rank1, positive.tensor, shared.tensor)).toThrow(
      "infoNCE: 'query' has shape [8] (rank 1) but expected [B,D] (rank 2).",
    );
    expect(() => infoNCE(query.tensor, positive.tensor, rank4)).toThrow(
      "infoNCE: 'negatives' has shape [5,7,8,1] (rank 4) but expected [N,D] (shared by all queries) or [B,N,D] (per query).",
    );
    expect(() => infoNCE(query.tensor, positive.tensor, rank4)).toThrow(ShapeError);
    tf.dispose([rank1, rank4]);
  });

  it('rejects mismatched B or D between arguments, naming both', () => {
    const otherBatch = tf.zeros([B + 1, D]);
    const otherDim = tf.zeros([N, D + 1]);
    const perQueryOtherBatch = tf.zeros([B + 1, N, D]);
    expect(() => infoNCE(query.tensor, otherBatch, shared.tensor)).toThrow(
      "infoNCE: 'positive' has shape [6,8] but 'query' has [5,8]; both must be [B,D] with equal sizes.",
    );
    expect(() => infoNCE(query.tensor, positive.tensor, otherDim)).toThrow(
      "infoNCE: 'negatives' has shape [7,9] but 'query' has [5,8]; 'D' must be the same size in both (8 vs 9).",
    );
    expect(() => infoNCE(query.tensor, positive.tensor, perQueryOtherBatch)).toThrow(
      "infoNCE: 'negatives' has shape [6,7,8] but 'query' has [5,8]; 'B' must be the same size in both (5 vs 6).",
    );
    tf.dispose([otherBatch, otherDim, perQueryOtherBatch]);
  });

  it('rejects empty inputs and non-float32 dtypes', () => {
    const noNegatives = tf.zeros([0, D]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => infoNCE(query.tensor, positive.tensor, noNegatives)).toThrow(
      "infoNCE: 'negatives' is [0,8] but expected at least 1 negative (N >= 1).",
    );
    expect(() => infoNCE(ints, positive.tensor, shared.tensor)).toThrow(DTypeError);
    expect(() => infoNCE(ints, positive.tensor, shared.tensor)).toThrow(
      "infoNCE: 'query' has dtype int32 but expected float32.",
    );
    tf.dispose([noNegatives, ints]);
  });

  it('rejects a temperature <= 0, a non-boolean normalize and an unknown reduction', () => {
    for (const temperature of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => infoNCE(query.tensor, positive.tensor, shared.tensor, { temperature })).toThrow(
        ArgumentError,
      );
    }
    expect(() => infoNCE(query.tensor, positive.tensor, shared.tensor, { temperature: 0 })).toThrow(
      "infoNCE: 'temperature' is 0 but expected a finite number > 0.",
    );
    expect(() =>
      infoNCE(query.tensor, positive.tensor, shared.tensor, { normalize: 'yes' as unknown as boolean }),
    ).toThrow("infoNCE: 'normalize' is 'yes' but expected true or false.");
    expect(() =>
      infoNCE(query.tensor, positive.tensor, shared.tensor, { reduction: 'avg' as unknown as 'mean' }),
    ).toThrow("infoNCE: 'reduction' is 'avg' but expected 'mean', 'sum' or 'none'.");
  });

  it('validates before allocating: a failed call leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    expect(() => infoNCE(query.tensor, positive.tensor, shared.tensor, { temperature: -1 })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
