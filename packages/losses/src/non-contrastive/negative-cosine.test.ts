import { ArgumentError, DTypeError } from '@genoise/core';
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

const B = 5;
const D = 7;
const p = seededMatrix(60, B, D);
const z = seededMatrix(61, B, D);

/** The naive reference: -cos(p_b, z_b) per row. */
function naive(pValues: Float32Array, zValues: Float32Array): number[] {
  return Array.from({ length: B }, (_, b) => -cosine(row(pValues, b, D), row(zValues, b, D)));
}

afterAll(() => tf.dispose([p.tensor, z.tensor]));

describe('negativeCosine', () => {
  it('matches a naive loop, as a float32 scalar (mean, sum) or [B] (none)', async () => {
    const expected = naive(p.values, z.values);
    const loss = negativeCosine(p.tensor, z.tensor);
    const sum = negativeCosine(p.tensor, z.tensor, { reduction: 'sum' });
    const none = negativeCosine(p.tensor, z.tensor, { reduction: 'none' });
    expect([loss.shape, none.shape, loss.dtype]).toEqual([[], [B], 'float32']);
    await expectTensorClose(loss, mean(expected));
    await expectTensorClose(
      sum,
      expected.reduce((a, c) => a + c, 0),
    );
    await expectTensorClose(none, expected);
    tf.dispose([loss, sum, none]);
  });

  it('is -1 for aligned rows, +1 for opposite rows and 0 for orthogonal or zero rows', async () => {
    const x = tf.tensor2d([1, 2, -3, 0.5, 0, 1], [3, 2]);
    const opposite = tf.neg(x);
    const scaled = tf.mul(x, 3);
    const orthogonal = tf.tensor2d([-2, 1, 0.5, 3, 0, 0], [3, 2]); // rows perpendicular to x's, last zero
    const aligned = negativeCosine(x, scaled);
    const flipped = negativeCosine(x, opposite);
    const ortho = negativeCosine(x, orthogonal, { reduction: 'none' });
    await expectTensorClose(aligned, -1);
    await expectTensorClose(flipped, 1);
    await expectTensorClose(ortho, [0, 0, 0]);
    tf.dispose([x, opposite, scaled, orthogonal, aligned, flipped, ortho]);
  });

  it('passes a gradient check for p; z (stop-gradient) gets exactly zero gradient', async () => {
    await gradCheck((a, b) => negativeCosine(a as tf.Tensor, b as tf.Tensor), [p.tensor, z.tensor], {
      check: [0],
    });
    const [pGrad, zGrad] = gradientsOf((a, b) => negativeCosine(a, b), [p.tensor, z.tensor]);
    await expectExactlyZero(zGrad as tf.Tensor);
    const pGradAbs = tf.abs(pGrad as tf.Tensor);
    expect(Math.max(...Array.from(await pGradAbs.data()))).toBeGreaterThan(0); // p does get a gradient
    pGradAbs.dispose();
    tf.dispose([pGrad as tf.Tensor, zGrad as tf.Tensor]);
  });

  it('does not leak, is deterministic, and stays finite for zero vectors', async () => {
    await expectNoLeaks(() => negativeCosine(p.tensor, z.tensor));
    await expectNoLeaks(() => gradientsOf((a, b) => negativeCosine(a, b), [p.tensor, z.tensor]));
    const a = negativeCosine(p.tensor, z.tensor, { reduction: 'none' });
    const b = negativeCosine(p.tensor, z.tensor, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    const zeros = tf.zeros([B, D]);
    const grads = gradientsOf((x, y) => negativeCosine(x, y), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([a, b, zeros, ...grads]);
  });

  it('rejects mismatched shapes (naming both), wrong dtypes and unknown reductions', () => {
    const wide = tf.zeros([B, D + 1]);
    const ints = tf.zeros([B, D], 'int32');
    expect(() => negativeCosine(p.tensor, wide)).toThrow(
      "negativeCosine: 'z' has shape [5,8] but 'p' has [5,7]; both must be [B,D] with equal sizes.",
    );
    expect(() => negativeCosine(ints, z.tensor)).toThrow(DTypeError);
    expect(() => negativeCosine(p.tensor, z.tensor, { reduction: 'avg' as unknown as 'mean' })).toThrow(
      ArgumentError,
    );
    tf.dispose([wide, ints]);
  });
});
