import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { disparityToDepth } from './disparity-to-depth';

describe('disparityToDepth', () => {
  it('maps disparity 0 to maxDepth, 1 to minDepth, and in between as 1 / (1/max + (1/min - 1/max) d)', async () => {
    const disp = tf.tensor4d([0, 0.5, 1, 0.25], [1, 2, 2, 1]);
    const { scaledDisparity, depth } = disparityToDepth(disp);
    const scaled = [0, 0.5, 1, 0.25].map((d) => 0.01 + (10 - 0.01) * d);
    await expectTensorClose(scaledDisparity, tf.tensor4d(scaled, [1, 2, 2, 1]));
    await expectTensorClose(
      depth,
      tf.tensor4d(
        scaled.map((s) => 1 / s),
        [1, 2, 2, 1],
      ),
    );
    const custom = disparityToDepth(disp, { minDepth: 1, maxDepth: 2 });
    await expectTensorClose(custom.depth, tf.tensor4d([2, 4 / 3, 1, 1 / 0.625], [1, 2, 2, 1]));
    tf.dispose([disp, scaledDisparity, depth, custom.depth, custom.scaledDisparity]);
  });

  it('is differentiable and does not leak', async () => {
    const disp = tf.tensor4d([0.1, 0.4, 0.7, 0.9, 0.2, 0.6], [1, 2, 3, 1]);
    await gradCheck((d) => disparityToDepth(d as tf.Tensor4D, { minDepth: 0.5, maxDepth: 10 }).depth, [disp]);
    await expectNoLeaks(() => disparityToDepth(disp));
    disp.dispose();
  });

  it('rejects a rank-3 disparity and bad depth bounds', () => {
    const disp = tf.zeros([2, 2, 1]);
    expect(() => disparityToDepth(disp as tf.Tensor4D)).toThrow(ShapeError);
    const d4 = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
    expect(() => disparityToDepth(d4, { minDepth: 0 })).toThrow(
      "disparityToDepth: 'minDepth' is 0 but expected a finite number > 0.",
    );
    expect(() => disparityToDepth(d4, { minDepth: 5, maxDepth: 5 })).toThrow(ArgumentError);
    tf.dispose([disp, d4]);
  });
});
