import { ArgumentError, createKey, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededImages } from '../../test/image-support';
import { expectFinite } from '../../test/support';
import { minReprojection } from './min-reprojection';

const row = (values: number[]): tf.Tensor4D => tf.tensor4d(values, [1, 1, values.length, 1]);
// Pixel 0: reprojection 2 wins (0.4 < 0.45); 1: identity wins; 2: reprojection 2; 3: a three-way tie.
const reprojection1 = row([0.5, 0.2, 0.9, 0.3]);
const reprojection2 = row([0.4, 0.6, 0.1, 0.3]);
const identity = row([0.45, 0.1, 0.2, 0.3]);

afterAll(() => tf.dispose([reprojection1, reprojection2, identity]));

/** Gradients of the summed per-pixel minimum with respect to [reprojection..., identity...]. */
function selectionGradients(withIdentity: boolean): tf.Tensor[] {
  const inputs = withIdentity ? [reprojection1, reprojection2, identity] : [reprojection1, reprojection2];
  return tf.grads((...xs: tf.Tensor[]) => {
    const [a, b, c] = xs as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const { loss, mask } = minReprojection([a, b], {
      reduction: 'sum',
      ...(c ? { identityLosses: [c] } : {}),
    });
    mask.dispose();
    return loss;
  })(inputs);
}

describe('minReprojection', () => {
  it('takes the per-pixel minimum over sources, with an all-ones mask, and routes the gradient to the winner', async () => {
    const { loss, mask } = minReprojection([reprojection1, reprojection2], { reduction: 'none' });
    expect(loss.shape).toEqual([1, 1, 4, 1]);
    await expectTensorClose(loss, [[[[0.4], [0.2], [0.1], [0.3]]]]);
    await expectTensorClose(mask, [[[[1], [1], [1], [1]]]]);
    const [g1, g2] = selectionGradients(false) as [tf.Tensor, tf.Tensor];
    // The tie at pixel 3 goes to the first source only (tf.min would send the gradient to both).
    await expectTensorClose(g1, [[[[0], [1], [0], [1]]]]);
    await expectTensorClose(g2, [[[[1], [0], [1], [0]]]]);
    tf.dispose([loss, mask, g1, g2]);
  });

  it('auto-masks pixels where an identity loss is lowest (ties go to identity without a key)', async () => {
    const { loss, mask } = minReprojection([reprojection1, reprojection2], {
      identityLosses: [identity],
      reduction: 'none',
    });
    await expectTensorClose(loss, [[[[0.4], [0.1], [0.1], [0.3]]]]);
    await expectTensorClose(mask, [[[[1], [0], [1], [0]]]]);
    const meanLoss = minReprojection([reprojection1, reprojection2], { identityLosses: [identity] });
    await expectTensorClose(meanLoss.loss, (0.4 + 0.1 + 0.1 + 0.3) / 4);
    const [g1, g2, gi] = selectionGradients(true) as [tf.Tensor, tf.Tensor, tf.Tensor];
    await expectTensorClose(g1, [[[[0], [0], [0], [0]]]]);
    await expectTensorClose(g2, [[[[1], [0], [1], [0]]]]);
    await expectTensorClose(gi, [[[[0], [1], [0], [1]]]]);
    tf.dispose([loss, mask, meanLoss.loss, meanLoss.mask, g1, g2, gi]);
  });

  it('adds 1e-5 N(0,1) tie-break noise from the key to the identity losses, deterministically', async () => {
    const key = createKey(7);
    const a = minReprojection([reprojection1, reprojection2], {
      identityLosses: [identity],
      key,
      reduction: 'none',
    });
    const b = minReprojection([reprojection1, reprojection2], {
      identityLosses: [identity],
      key,
      reduction: 'none',
    });
    expect(Array.from(await a.loss.data())).toEqual(Array.from(await b.loss.data()));
    expect(Array.from(await a.mask.data())).toEqual(Array.from(await b.mask.data()));
    await expectTensorClose(a.loss, [[[[0.4], [0.1], [0.1], [0.3]]]], { atol: 1e-4 });
    // Away from the tie the noise changes nothing; at pixel 3 its sign decides.
    const m = Array.from(await a.mask.data());
    expect(m.slice(0, 3)).toEqual([1, 0, 1]);
    tf.dispose([a.loss, a.mask, b.loss, b.mask]);
  });

  it('matches a naive loop over three sources and two identity losses, for every reduction', async () => {
    const shape = [2, 3, 4, 1] as const;
    const reps = [81, 82, 83].map((s) => seededImages(s, shape));
    const ids = [84, 85].map((s) => seededImages(s, shape));
    const n = 24;
    const expectedLoss: number[] = [];
    const expectedMask: number[] = [];
    for (let i = 0; i < n; i++) {
      const candidates = [...ids, ...reps].map((t) => t.values[i] as number);
      let best = 0;
      for (let k = 1; k < candidates.length; k++)
        if ((candidates[k] as number) < (candidates[best] as number)) best = k;
      expectedLoss.push(candidates[best] as number);
      expectedMask.push(best >= ids.length ? 1 : 0);
    }
    const inputs = { identityLosses: ids.map((t) => t.tensor) };
    const none = minReprojection(
      reps.map((t) => t.tensor),
      { ...inputs, reduction: 'none' },
    );
    await expectTensorClose(none.loss, Float32Array.from(expectedLoss));
    await expectTensorClose(none.mask, Float32Array.from(expectedMask));
    const meanLoss = minReprojection(
      reps.map((t) => t.tensor),
      inputs,
    );
    expect(meanLoss.loss.shape).toEqual([]);
    await expectTensorClose(meanLoss.loss, expectedLoss.reduce((a, b) => a + b, 0) / n);
    const sumLoss = minReprojection(
      reps.map((t) => t.tensor),
      { ...inputs, reduction: 'sum' },
    );
    await expectTensorClose(
      sumLoss.loss,
      expectedLoss.reduce((a, b) => a + b, 0),
    );
    tf.dispose(
      [...reps.map((t) => t.tensor), ...ids.map((t) => t.tensor), none, meanLoss, sumLoss].flatMap((x) =>
        x instanceof tf.Tensor ? [x] : [x.loss, x.mask],
      ),
    );
  });

  it('is finite with finite gradients when every loss is 0', async () => {
    const zeros = tf.zeros([1, 2, 2, 1]);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const { loss, mask } = minReprojection([a], { identityLosses: [b], key: createKey(1) });
      mask.dispose();
      return loss;
    })([zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([zeros, ...grads]);
  });

  it('does not leak', async () => {
    await expectNoLeaks(() =>
      minReprojection([reprojection1, reprojection2], { identityLosses: [identity], key: createKey(3) }),
    );
    await expectNoLeaks(() => selectionGradients(true));
  });

  it('rejects bad inputs, naming the list index', () => {
    const wide = tf.zeros([1, 1, 5, 1]);
    const rgb = tf.zeros([1, 1, 4, 3]);
    const ints = tf.zeros([1, 1, 4, 1], 'int32');
    expect(() => minReprojection([])).toThrow(
      "minReprojection: 'reprojectionLosses' is an empty array but expected a non-empty array of [B,H,W,1] tensors.",
    );
    expect(() => minReprojection(reprojection1 as unknown as tf.Tensor[])).toThrow(ArgumentError);
    expect(() => minReprojection([reprojection1, wide])).toThrow(
      "minReprojection: 'reprojectionLosses[1]' has shape [1,1,5,1] but 'reprojectionLosses[0]' has [1,1,4,1]; both must be [B,H,W,1] with equal sizes.",
    );
    expect(() => minReprojection([reprojection1], { identityLosses: [rgb] })).toThrow(ShapeError);
    expect(() => minReprojection([reprojection1], { identityLosses: [ints] })).toThrow(DTypeError);
    expect(() =>
      minReprojection([reprojection1], { key: 42 as unknown as ReturnType<typeof createKey> }),
    ).toThrow(ArgumentError);
    tf.dispose([wide, rgb, ints]);
  });
});
