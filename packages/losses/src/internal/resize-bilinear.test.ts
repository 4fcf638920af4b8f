import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seededImages } from '../../test/image-support';
import { resizeBilinear } from './resize-bilinear';

const x = seededImages(91, [2, 3, 4, 2]);

afterAll(() => x.tensor.dispose());

describe('resizeBilinear (internal)', () => {
  it('matches tf.image.resizeBilinear with half-pixel centres, up and down', async () => {
    for (const [h, w] of [
      [6, 8],
      [7, 11],
      [2, 3],
      [3, 4],
    ] as const) {
      const ours = resizeBilinear(x.tensor, h, w);
      const theirs = tf.image.resizeBilinear(x.tensor, [h, w], false, true);
      expect(ours.shape).toEqual([2, h, w, 2]);
      await expectTensorClose(ours, theirs);
      tf.dispose(ours === x.tensor ? theirs : [ours, theirs]); // the same size returns the input itself
    }
  });

  it('has the right gradient (tfjs 4.22 ResizeBilinearGrad ignores halfPixelCenters)', async () => {
    const weights = seededImages(92, [2, 7, 9, 2]);
    await gradCheck(
      (a) => tf.sum(tf.mul(resizeBilinear(a as tf.Tensor4D, 7, 9), weights.tensor)),
      [x.tensor],
    );
    weights.tensor.dispose();
  });

  it('does not leak', async () => {
    await expectNoLeaks(() => tf.tidy(() => resizeBilinear(x.tensor, 6, 8))); // internal: callers own the scope
  });
});
