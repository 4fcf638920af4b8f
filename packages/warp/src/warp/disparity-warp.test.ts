import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seeded, seededTensor } from '../../test/helpers';
import { disparityToPixels, disparityWarp } from './disparity-warp';

describe('disparityWarp', () => {
  it('reconstructs the left view from the right at x - d, and the right from the left at x + d', async () => {
    // A scene point at x_left = 3 sits at x_right = 3 - 2 = 1 (d = 2).
    const left = tf.tensor4d([0, 0, 0, 9, 0], [1, 1, 5, 1]);
    const right = tf.tensor4d([0, 9, 0, 0, 0], [1, 1, 5, 1]);
    const d = tf.fill([1, 1, 5, 1], 2) as tf.Tensor4D;
    const leftHat = disparityWarp(right, d, { direction: 'toLeft' });
    await expectTensorClose(leftHat, [[[[0], [0], [0], [9], [0]]]]); // x - 2 < 0 reads zeros
    const rightHat = disparityWarp(left, d, { direction: 'toRight' });
    await expectTensorClose(rightHat, [[[[0], [9], [0], [0], [0]]]]);
    // Half-pixel disparity interpolates; border padding repeats the edge; rows do not move.
    const image = tf.tensor4d([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 4, 1]);
    const half = disparityWarp(image, tf.fill([1, 2, 4, 1], 0.5) as tf.Tensor4D, {
      direction: 'toLeft',
      padding: 'border',
    });
    await expectTensorClose(half, [
      [
        [[1], [1.5], [2.5], [3.5]],
        [[10], [15], [25], [35]],
      ],
    ]);
    tf.dispose([left, right, d, leftHat, rightHat, image, half]);
  });

  it('is differentiable w.r.t. image and disparity (finite differences)', async () => {
    const image = seededTensor<tf.Rank.R4>(1, [1, 2, 6, 2]);
    const frac = seeded(2, 12, 0.2, 0.8);
    const disparity = tf.tensor4d(
      frac.map((f, i) => (i % 3) + f),
      [1, 2, 6, 1],
    );
    const weights = seededTensor<tf.Rank.R4>(3, [1, 2, 6, 2], -1, 1);
    await gradCheck(
      (im, d) =>
        tf.sum(tf.mul(disparityWarp(im as tf.Tensor4D, d as tf.Tensor4D, { direction: 'toRight' }), weights)),
      [image, disparity],
      { eps: 1e-2 },
    );
    tf.dispose([image, disparity, weights]);
  });

  it('does not leak and rejects a disparity of the wrong rank and missing options', async () => {
    const image = tf.zeros([1, 2, 3, 3]) as tf.Tensor4D;
    const d = tf.ones([1, 2, 3, 1]) as tf.Tensor4D;
    await expectNoLeaks(() => disparityWarp(image, d, { direction: 'toLeft' }));
    expect(() =>
      disparityWarp(image, tf.ones([1, 2, 3]) as unknown as tf.Tensor4D, { direction: 'toLeft' }),
    ).toThrow("disparityWarp: 'disparity' has shape [1,2,3] (rank 3) but expected [B,H,W,1] (rank 4).");
    expect(() => disparityWarp(image, tf.ones([1, 2, 3, 2]) as tf.Tensor4D, { direction: 'toLeft' })).toThrow(
      ShapeError,
    );
    expect(() => disparityWarp(image, tf.ones([2, 2, 3, 1]) as tf.Tensor4D, { direction: 'toLeft' })).toThrow(
      /'B' must be the same size/,
    );
    expect(() => disparityWarp(image, d, undefined as never)).toThrow(ArgumentError);
    expect(() => disparityWarp(image, d, { direction: 'left' as never })).toThrow(
      "disparityWarp: 'direction' is 'left' but expected 'toLeft' or 'toRight'.",
    );
    tf.dispose([image, d]);
  });
});

describe('disparityToPixels', () => {
  it('multiplies a width fraction by the width (the map width by default)', async () => {
    const d = tf.fill([1, 2, 8, 1], 0.25) as tf.Tensor4D;
    const px = disparityToPixels(d);
    await expectTensorClose(px, tf.fill([1, 2, 8, 1], 2));
    const full = disparityToPixels(d, { width: 640 });
    await expectTensorClose(full, tf.fill([1, 2, 8, 1], 160));
    await expectNoLeaks(() => disparityToPixels(d));
    expect(() => disparityToPixels(d, { width: -1 })).toThrow(ArgumentError);
    expect(() => disparityToPixels(tf.ones([2, 8]) as unknown as tf.Tensor4D)).toThrow(ShapeError);
    tf.dispose([d, px, full]);
  });
});
