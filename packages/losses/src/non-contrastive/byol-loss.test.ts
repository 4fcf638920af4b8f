import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cosine,
  dot,
  expectExactlyZero,
  expectFinite,
  gradientsOf,
  mean,
  row,
  seededMatrix,
  unit,
} from '../../test/support';
import { byolLoss } from './byol-loss';

const B = 6;
const D = 5;
const p = seededMatrix(70, B, D);
const z = seededMatrix(71, B, D, 3);

/** The naive reference: 2 - 2 cos(p_b, z_b) per row. */
function naive(pValues: Float32Array, zValues: Float32Array): number[] {
  return Array.from({ length: B }, (_, b) => 2 - 2 * cosine(row(pValues, b, D), row(zValues, b, D)));
}

afterAll(() => tf.dispose([p.tensor, z.tensor]));

describe('byolLoss', () => {
  it('matches a naive loop, as a float32 scalar (mean, sum) or [B] (none)', async () => {
    const expected = naive(p.values, z.values);
    const loss = byolLoss(p.tensor, z.tensor);
    const sum = byolLoss(p.tensor, z.tensor, { reduction: 'sum' });
    const none = byolLoss(p.tensor, z.tensor, { reduction: 'none' });
    expect([loss.shape, none.shape, loss.dtype]).toEqual([[], [B], 'float32']);
    await expectTensorClose(loss, mean(expected));
    await expectTensorClose(
      sum,
      expected.reduce((a, c) => a + c, 0),
    );
    await expectTensorClose(none, expected);
    tf.dispose([loss, sum, none]);
  });

  it('equals the squared distance of the normalised vectors, ||p/|p| - z/|z| ||^2', async () => {
    const expected = Array.from({ length: B }, (_, b) => {
      const u = unit(row(p.values, b, D));
      const v = unit(row(z.values, b, D));
      const diff = u.map((x, i) => x - (v[i] as number));
      return dot(diff, diff);
    });
    const none = byolLoss(p.tensor, z.tensor, { reduction: 'none' });
    await expectTensorClose(none, expected);
    tf.dispose(none);
  });

  it('is 0 for aligned, 2 for orthogonal (or zero) and 4 for opposite rows', async () => {
    const x = tf.tensor2d([3, 4, -1, 2, 0, 0], [3, 2]);
    const orthogonal = tf.tensor2d([-4, 3, 2, 1, 0, 0], [3, 2]);
    const half = tf.mul(x, 0.5);
    const negated = tf.neg(x);
    const aligned = byolLoss(x, half, { reduction: 'none' });
    const ortho = byolLoss(x, orthogonal, { reduction: 'none' });
    const opposite = byolLoss(x, negated, { reduction: 'none' });
    await expectTensorClose(aligned, [0, 0, 2]); // the zero row has cosine 0 by the norm floor
    await expectTensorClose(ortho, [2, 2, 2]);
    await expectTensorClose(opposite, [4, 4, 2]);
    tf.dispose([x, orthogonal, half, negated, aligned, ortho, opposite]);
  });

  it('passes a gradient check for p; the target z gets exactly zero gradient', async () => {
    await gradCheck((a, b) => byolLoss(a as tf.Tensor, b as tf.Tensor), [p.tensor, z.tensor], { check: [0] });
    const [, zGrad] = gradientsOf((a, b) => byolLoss(a, b), [p.tensor, z.tensor]);
    await expectExactlyZero(zGrad as tf.Tensor);
    tf.dispose(zGrad as tf.Tensor);
  });

  it('does not leak, is deterministic, and stays finite for identical and zero inputs', async () => {
    await expectNoLeaks(() => byolLoss(p.tensor, z.tensor));
    await expectNoLeaks(() => gradientsOf((a, b) => byolLoss(a, b), [p.tensor, z.tensor]));
    const a = byolLoss(p.tensor, z.tensor, { reduction: 'none' });
    const b = byolLoss(p.tensor, z.tensor, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    const same = byolLoss(p.tensor, p.tensor);
    await expectTensorClose(same, 0, { atol: 1e-6 });
    const zeros = tf.zeros([B, D]);
    const zeroLoss = byolLoss(zeros, zeros);
    await expectTensorClose(zeroLoss, 2);
    const grads = gradientsOf((x, y) => byolLoss(x, y), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([a, b, same, zeros, zeroLoss, ...grads]);
  });

  it('rejects wrong ranks, mismatched shapes (naming both), wrong dtypes and unknown reductions', () => {
    const rank1 = tf.zeros([D]);
    const tall = tf.zeros([B + 2, D]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => byolLoss(rank1, z.tensor)).toThrow(
      "byolLoss: 'p' has shape [5] (rank 1) but expected [B,D] (rank 2).",
    );
    expect(() => byolLoss(p.tensor, tall)).toThrow(
      "byolLoss: 'z' has shape [8,5] but 'p' has [6,5]; both must be [B,D] with equal sizes.",
    );
    expect(() => byolLoss(p.tensor, tall)).toThrow(ShapeError);
    expect(() => byolLoss(p.tensor, ints)).toThrow(DTypeError);
    expect(() => byolLoss(p.tensor, z.tensor, { reduction: 'avg' as unknown as 'mean' })).toThrow(
      ArgumentError,
    );
    tf.dispose([rank1, tall, ints]);
  });
});
