import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededImages, sumOf } from '../../test/image-support';
import { expectExactlyZero, expectFinite, gradientsOf } from '../../test/support';
import { leftRightConsistency } from './left-right-consistency';

const disp = seededImages(71, [2, 3, 4, 1], 0, 20);
const projected = seededImages(72, [2, 3, 4, 1], 0, 20);
const expected = Array.from(disp.values, (v, i) => Math.abs(v - (projected.values[i] as number)));

afterAll(() => tf.dispose([disp.tensor, projected.tensor]));

describe('leftRightConsistency', () => {
  it('is |disp - dispProjected| per pixel, for every reduction', async () => {
    const none = leftRightConsistency(disp.tensor, projected.tensor, { reduction: 'none' });
    expect(none.shape).toEqual([2, 3, 4, 1]);
    await expectTensorClose(none, Float32Array.from(expected));
    const meanLoss = leftRightConsistency(disp.tensor, projected.tensor);
    await expectTensorClose(meanLoss, sumOf(expected) / expected.length);
    const sumLoss = leftRightConsistency(disp.tensor, projected.tensor, { reduction: 'sum' });
    await expectTensorClose(sumLoss, sumOf(expected));
    tf.dispose([none, meanLoss, sumLoss]);
  });

  it('is 0 for consistent (and zero) disparities, with finite gradients', async () => {
    const same = leftRightConsistency(disp.tensor, disp.tensor, { reduction: 'none' });
    await expectExactlyZero(same);
    const zeros = tf.zeros([1, 2, 2, 1]);
    const zeroLoss = leftRightConsistency(zeros, zeros);
    await expectTensorClose(zeroLoss, 0);
    const grads = gradientsOf((a, b) => leftRightConsistency(a, b), [zeros, zeros]);
    await expectFinite(grads);
    tf.dispose([same, zeros, zeroLoss, ...grads]);
  });

  it('passes a finite-difference gradient check', async () => {
    await gradCheck(
      (a, b) => leftRightConsistency(a as tf.Tensor, b as tf.Tensor, { reduction: 'sum' }),
      [disp.tensor, projected.tensor],
    );
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => leftRightConsistency(disp.tensor, projected.tensor));
    await expectNoLeaks(() =>
      gradientsOf((a, b) => leftRightConsistency(a, b), [disp.tensor, projected.tensor]),
    );
  });

  it('rejects bad inputs', () => {
    const rank3 = tf.zeros([3, 4, 1]);
    const twoChannels = tf.zeros([2, 3, 4, 2]);
    const other = tf.zeros([2, 3, 5, 1]);
    const ints = tf.zeros([2, 3, 4, 1], 'int32');
    expect(() => leftRightConsistency(rank3, projected.tensor)).toThrow(ShapeError);
    expect(() => leftRightConsistency(disp.tensor, twoChannels)).toThrow(
      "leftRightConsistency: 'dispProjected' has shape [2,3,4,2] but expected [B,H,W,1].",
    );
    expect(() => leftRightConsistency(disp.tensor, other)).toThrow(
      "leftRightConsistency: 'dispProjected' has shape [2,3,5,1] but 'disp' has [2,3,4,1]; both must be [B,H,W,1] with equal sizes.",
    );
    expect(() => leftRightConsistency(disp.tensor, ints)).toThrow(DTypeError);
    expect(() => leftRightConsistency(disp.tensor, projected.tensor, { reduction: 'x' as 'sum' })).toThrow(
      ArgumentError,
    );
    tf.dispose([rank3, twoChannels, other, ints]);
  });
});
