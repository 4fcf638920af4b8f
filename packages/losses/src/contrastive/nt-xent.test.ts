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
  rows,
  seededMatrix,
  unit,
} from '../../test/support';
import { ntXent } from './nt-xent';

const B = 6;
const D = 10;

/**
 * The naive reference, straight from the SimCLR definition: 2B normalised views, cosine / T, each
 * anchor's positive is its pair, the denominator runs over every other view (k != i).
 */
function naiveNTXent(
  z1: Float32Array,
  z2: Float32Array,
  batch: number,
  dim: number,
  temperature: number,
): number[] {
  const views = [...rows(z1, batch, dim), ...rows(z2, batch, dim)].map(unit);
  const out: number[] = [];
  for (let i = 0; i < 2 * batch; i++) {
    const logits: number[] = [];
    for (let k = 0; k < 2 * batch; k++) {
      if (k !== i) logits.push(dot(views[i] as number[], views[k] as number[]) / temperature);
    }
    const positive = dot(views[i] as number[], views[(i + batch) % (2 * batch)] as number[]) / temperature;
    out.push(logSumExp(logits) - positive);
  }
  return out;
}

const z1 = seededMatrix(11, B, D);
const z2 = seededMatrix(12, B, D);

afterAll(() => tf.dispose([z1.tensor, z2.tensor]));

describe('ntXent', () => {
  it('returns a float32 scalar by default and [2B] per-anchor values for none', () => {
    const loss = ntXent(z1.tensor, z2.tensor);
    const none = ntXent(z1.tensor, z2.tensor, { reduction: 'none' });
    expect(loss.shape).toEqual([]);
    expect(loss.dtype).toBe('float32');
    expect(none.shape).toEqual([2 * B]);
    tf.dispose([loss, none]);
  });

  for (const temperature of [0.5, 0.1]) {
    it(`matches a naive loop over all 2B anchors (T = ${temperature}), for every reduction`, async () => {
      const expected = naiveNTXent(z1.values, z2.values, B, D, temperature);
      const none = ntXent(z1.tensor, z2.tensor, { temperature, reduction: 'none' });
      const meanLoss = ntXent(z1.tensor, z2.tensor, { temperature });
      const sumLoss = ntXent(z1.tensor, z2.tensor, { temperature, reduction: 'sum' });
      await expectTensorClose(none, expected);
      await expectTensorClose(meanLoss, mean(expected));
      await expectTensorClose(
        sumLoss,
        expected.reduce((a, c) => a + c, 0),
      );
      tf.dispose([none, meanLoss, sumLoss]);
    });
  }

  it('has the closed form log(e^(1/T) + 2) - 1/T for B = 2 with pairs e0, e1', async () => {
    // z1 = z2 = [e0, e1]. Anchor z1_0 = e0: its positive z2_0 = e0 scores cos = 1, and its 2B - 2 = 2
    // negatives z1_1 = z2_1 = e1 score 0; the self-pair is left out. So
    //   l = -log(e^(1/T) / (e^(1/T) + e^0 + e^0)) = log(e^(1/T) + 2) - 1/T,
    // the same for all four anchors by symmetry, hence also the mean.
    const temperature = 0.5;
    const views = tf.tensor2d(oneHots([0, 1], 2), [2, 2]);
    const loss = ntXent(views, views, { temperature, reduction: 'none' });
    const closed = Math.log(Math.exp(1 / temperature) + 2) - 1 / temperature;
    await expectTensorClose(loss, [closed, closed, closed, closed]);
    tf.dispose([views, loss]);
  });

  it('is log(2B - 1) when all four views are orthonormal (chance level)', async () => {
    // z1 = [e0, e1], z2 = [e2, e3]: every cosine between distinct views is 0, so each anchor's softmax
    // is uniform over its 2B - 1 = 3 candidates and l = log 3, whatever T.
    const a = tf.tensor2d(oneHots([0, 1], 4), [2, 4]);
    const b = tf.tensor2d(oneHots([2, 3], 4), [2, 4]);
    const loss = ntXent(a, b, { temperature: 0.3 });
    await expectTensorClose(loss, Math.log(3));
    tf.dispose([a, b, loss]);
  });

  it('passes finite-difference gradient checks for z1 and z2', async () => {
    await gradCheck((a, b) => ntXent(a as tf.Tensor, b as tf.Tensor), [z1.tensor, z2.tensor]);
    // 'mean', not 'sum': the sum over 2B anchors is ~12x larger, and its float32 rounding (~ulp(36) / 2eps)
    // swamps the central difference on wasm. 'sum' is a fixed 2B x 'mean' (checked in the numerics test).
    await gradCheck(
      (a, b) => ntXent(a as tf.Tensor, b as tf.Tensor, { temperature: 0.2 }),
      [z1.tensor, z2.tensor],
    );
  });

  it('does not leak, in the forward pass or under tf.grads', async () => {
    await expectNoLeaks(() => ntXent(z1.tensor, z2.tensor));
    await expectNoLeaks(() => gradientsOf((a, b) => ntXent(a, b), [z1.tensor, z2.tensor]));
  });

  it('is deterministic', async () => {
    const a = ntXent(z1.tensor, z2.tensor, { reduction: 'none' });
    const b = ntXent(z1.tensor, z2.tensor, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
  });

  it('stays finite for identical views and for zero vectors (no NaN in loss or gradients)', async () => {
    const identical = ntXent(z1.tensor, z1.tensor);
    await expectTensorClose(identical, mean(naiveNTXent(z1.values, z1.values, B, D, 0.5)));
    const zeros = tf.zeros([B, D]);
    const zeroLoss = ntXent(zeros, zeros);
    await expectTensorClose(zeroLoss, Math.log(2 * B - 1)); // all scores 0: uniform over 2B - 1 candidates
    const grads = gradientsOf((a, b) => ntXent(a, b), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([identical, zeros, zeroLoss, ...grads]);
  });

  it('gives a finite loss and finite gradients at T = 0.01 with aligned views', async () => {
    // Self-similarity logits are 1/T = 100 before masking; masking with -1e9 keeps them out of the
    // softmax without an -Infinity, so the gradient has no 0 * Infinity.
    const loss = ntXent(z1.tensor, z1.tensor, { temperature: 0.01 });
    await expectFinite(loss);
    await expectTensorClose(loss, mean(naiveNTXent(z1.values, z1.values, B, D, 0.01)));
    const grads = gradientsOf((a, b) => ntXent(a, b, { temperature: 0.01 }), [z1.tensor, z1.tensor]);
    await expectFinite(grads);
    tf.dispose([loss, ...grads]);
  });

  it('rejects wrong ranks and mismatched shapes, naming both arguments', () => {
    const rank3 = tf.zeros([B, D, 1]);
    const otherBatch = tf.zeros([B + 1, D]);
    const otherDim = tf.zeros([B, D + 2]);
    expect(() => ntXent(rank3, z2.tensor)).toThrow(
      "ntXent: 'z1' has shape [6,10,1] (rank 3) but expected [B,D] (rank 2).",
    );
    expect(() => ntXent(z1.tensor, otherBatch)).toThrow(
      "ntXent: 'z2' has shape [7,10] but 'z1' has [6,10]; both must be [B,D] with equal sizes.",
    );
    expect(() => ntXent(z1.tensor, otherDim)).toThrow(ShapeError);
    expect(() => ntXent(z1.tensor, otherDim)).toThrow(
      "ntXent: 'z2' has shape [6,12] but 'z1' has [6,10]; both must be [B,D] with equal sizes.",
    );
    tf.dispose([rank3, otherBatch, otherDim]);
  });

  it('rejects non-float32 inputs, temperature <= 0 and unknown reductions', () => {
    const ints = tf.zeros([B, D], 'int32');
    expect(() => ntXent(z1.tensor, ints)).toThrow(DTypeError);
    expect(() => ntXent(z1.tensor, z2.tensor, { temperature: 0 })).toThrow(
      "ntXent: 'temperature' is 0 but expected a finite number > 0.",
    );
    expect(() => ntXent(z1.tensor, z2.tensor, { temperature: -1 })).toThrow(ArgumentError);
    expect(() => ntXent(z1.tensor, z2.tensor, { reduction: 'max' as unknown as 'mean' })).toThrow(
      "ntXent: 'reduction' is 'max' but expected 'mean', 'sum' or 'none'.",
    );
    tf.dispose(ints);
  });
});
