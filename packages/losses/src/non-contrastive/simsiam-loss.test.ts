import { DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cosine,
  expectExactlyZero,
  expectFinite,
  gradientsOf,
  mean,
  row,
  seededMatrix,
} from '../../test/support';
import { negativeCosine } from './negative-cosine';
import { simsiamLoss } from './simsiam-loss';

const B = 4;
const D = 6;
const p1 = seededMatrix(80, B, D);
const z2 = seededMatrix(81, B, D);
const p2 = seededMatrix(82, B, D);
const z1 = seededMatrix(83, B, D);

/** The naive reference: 1/2 (-cos(p1_b, z2_b)) + 1/2 (-cos(p2_b, z1_b)) per row. */
function naive(): number[] {
  return Array.from(
    { length: B },
    (_, b) =>
      -0.5 * cosine(row(p1.values, b, D), row(z2.values, b, D)) -
      0.5 * cosine(row(p2.values, b, D), row(z1.values, b, D)),
  );
}

afterAll(() => tf.dispose([p1.tensor, z2.tensor, p2.tensor, z1.tensor]));

describe('simsiamLoss', () => {
  it('matches a naive loop, as a float32 scalar (mean, sum) or [B] (none)', async () => {
    const expected = naive();
    const loss = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor);
    const sum = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor, { reduction: 'sum' });
    const none = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor, { reduction: 'none' });
    expect([loss.shape, none.shape, loss.dtype]).toEqual([[], [B], 'float32']);
    await expectTensorClose(loss, mean(expected));
    await expectTensorClose(
      sum,
      expected.reduce((a, c) => a + c, 0),
    );
    await expectTensorClose(none, expected);
    tf.dispose([loss, sum, none]);
  });

  it('is 1/2 negativeCosine(p1, z2) + 1/2 negativeCosine(p2, z1), and -1 when predictions match targets', async () => {
    const loss = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor);
    const a = negativeCosine(p1.tensor, z2.tensor);
    const b = negativeCosine(p2.tensor, z1.tensor);
    const halves = tf.mul(0.5, tf.add(a, b));
    await expectTensorClose(loss, halves);
    const best = simsiamLoss(z2.tensor, z2.tensor, z1.tensor, z1.tensor);
    await expectTensorClose(best, -1);
    tf.dispose([loss, a, b, halves, best]);
  });

  it('passes a gradient check for p1 and p2; the targets z1, z2 get exactly zero gradient', async () => {
    const fn = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => simsiamLoss(a, b, c, d);
    await gradCheck(fn as (...xs: tf.Tensor[]) => tf.Tensor, [p1.tensor, z2.tensor, p2.tensor, z1.tensor], {
      check: [0, 2],
    });
    const grads = gradientsOf(fn as (...xs: tf.Tensor[]) => tf.Tensor, [
      p1.tensor,
      z2.tensor,
      p2.tensor,
      z1.tensor,
    ]);
    await expectExactlyZero(grads[1] as tf.Tensor);
    await expectExactlyZero(grads[3] as tf.Tensor);
    tf.dispose(grads);
  });

  it('does not leak, is deterministic, and stays finite for zero vectors', async () => {
    await expectNoLeaks(() => simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor));
    const a = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor, { reduction: 'none' });
    const b = simsiamLoss(p1.tensor, z2.tensor, p2.tensor, z1.tensor, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    const zeros = tf.zeros([B, D]);
    const zeroLoss = simsiamLoss(zeros, zeros, zeros, zeros);
    await expectTensorClose(zeroLoss, 0);
    const grads = gradientsOf((w, x, y, v) => simsiamLoss(w, x, y, v), [zeros, zeros, zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([a, b, zeros, zeroLoss, ...grads]);
  });

  it('rejects mismatched shapes naming both arguments, and wrong dtypes', () => {
    const wide = tf.zeros([B, D + 1]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => simsiamLoss(p1.tensor, z2.tensor, wide, z1.tensor)).toThrow(
      "simsiamLoss: 'p2' has shape [4,7] but 'p1' has [4,6]; both must be [B,D] with equal sizes.",
    );
    expect(() => simsiamLoss(p1.tensor, z2.tensor, p2.tensor, wide)).toThrow(ShapeError);
    expect(() => simsiamLoss(p1.tensor, ints, p2.tensor, z1.tensor)).toThrow(DTypeError);
    tf.dispose([wide, ints]);
  });
});
