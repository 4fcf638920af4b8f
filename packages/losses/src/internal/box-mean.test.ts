import { reflectPad } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, it } from 'vitest';
import { seededImages } from '../../test/image-support';
import { boxMean3 } from './box-mean';

const x = seededImages(111, [2, 4, 5, 3]);

afterAll(() => x.tensor.dispose());

describe('boxMean3 (internal), after reflectPad', () => {
  it('match tf.mirrorPad(reflect) and tf.avgPool(valid) in the forward pass', async () => {
    for (const radius of [1, 2, 3]) {
      const ours = reflectPad(x.tensor, radius);
      const theirs = tf.mirrorPad(
        x.tensor,
        [
          [0, 0],
          [radius, radius],
          [radius, radius],
          [0, 0],
        ],
        'reflect',
      );
      await expectTensorClose(ours, theirs);
      tf.dispose([ours, theirs]);
    }
    const padded = reflectPad(x.tensor, 1);
    const box = boxMean3(padded);
    const pooled = tf.avgPool(padded, 3, 1, 'valid');
    await expectTensorClose(box, pooled);
    tf.dispose([padded, box, pooled]);
  });

  it('have the right gradients, border contributions included (unlike tf.mirrorPad in tfjs 4.22)', async () => {
    const weights = seededImages(112, [2, 8, 9, 3]);
    // Linear in a, so a larger step is still exact; at eps 1e-3 the float32 rounding of the 432-term sum
    // (summed in another order by TensorFlow's kernels) shows in the difference quotient.
    await gradCheck((a) => tf.sum(tf.mul(reflectPad(a as tf.Tensor4D, 2), weights.tensor)), [x.tensor], {
      eps: 1e-2,
    });
    const boxWeights = seededImages(113, [2, 4, 5, 3]);
    await gradCheck(
      (a) => tf.sum(tf.mul(boxMean3(reflectPad(a as tf.Tensor4D, 1)), boxWeights.tensor)),
      [x.tensor],
    );
    tf.dispose([weights.tensor, boxWeights.tensor]);
  });

  it('do not leak inside a tidy scope', async () => {
    await expectNoLeaks(() => tf.tidy(() => boxMean3(reflectPad(x.tensor, 1))));
  });
});
