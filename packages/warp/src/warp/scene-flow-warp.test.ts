import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectFinite, intrinsics, seededTensor, translation } from '../../test/helpers';
import { inverseWarp } from './inverse-warp';
import { sceneFlowWarp } from './scene-flow-warp';

describe('sceneFlowWarp', () => {
  it('is the identity for zero scene flow, and a translation warp for uniform scene flow', async () => {
    const image = seededTensor<tf.Rank.R4>(1, [1, 4, 5, 2]);
    const depth = seededTensor<tf.Rank.R4>(2, [1, 4, 5, 1], 1, 3);
    const K = intrinsics(1, 5, 5, 2, 1.5);
    const zero = tf.zeros([1, 4, 5, 3]) as tf.Tensor4D;
    const still = sceneFlowWarp(image, depth, zero, K);
    await expectTensorClose(still.warped, image, { atol: 1e-4 });
    // Every point moved by (0.1, -0.05, 0.2) is the camera moved by the same: inverseWarp with t.
    const flow = tf.tile(tf.tensor4d([0.1, -0.05, 0.2], [1, 1, 1, 3]), [1, 4, 5, 1]) as tf.Tensor4D;
    const moved = sceneFlowWarp(image, depth, flow, K, { padding: 'border' });
    const reference = inverseWarp(image, depth, translation([[0.1, -0.05, 0.2]]), K, { padding: 'border' });
    await expectTensorClose(moved.warped, reference.warped, { atol: 1e-5 });
    await expectTensorClose(moved.valid, reference.valid);
    tf.dispose([
      image,
      depth,
      K,
      zero,
      flow,
      ...Object.values(still),
      ...Object.values(moved),
      ...Object.values(reference),
    ]);
  });

  it('moves a pixel by fx dX / Z (hand-derived)', async () => {
    const image = tf.tensor4d([0, 1, 2, 3], [1, 1, 4, 1]);
    const depth = tf.fill([1, 1, 4, 1], 2) as tf.Tensor4D;
    const K = intrinsics(1, 10, 10, 1.5, 0);
    const flow = tf.tile(tf.tensor4d([0.2, 0, 0], [1, 1, 1, 3]), [1, 1, 4, 1]) as tf.Tensor4D; // 10 * 0.2 / 2 = 1 px
    const { warped, valid } = sceneFlowWarp(image, depth, flow, K);
    await expectTensorClose(warped, [[[[1], [2], [3], [0]]]], { atol: 1e-5 });
    await expectTensorClose(valid, [[[[1], [1], [1], [0]]]]);
    tf.dispose([image, depth, K, flow, warped, valid]);
  });

  it('has finite gradients for bad depth, does not leak, and validates', async () => {
    const image = seededTensor<tf.Rank.R4>(3, [1, 2, 2, 1]);
    const depth = tf.tensor4d([0, Number.NaN, -1, 2], [1, 2, 2, 1]);
    const K = intrinsics(1, 2, 2, 0.5, 0.5);
    const flow = seededTensor<tf.Rank.R4>(4, [1, 2, 2, 3], -0.1, 0.1);
    const g = tf.grads((d: tf.Tensor, s: tf.Tensor) =>
      tf.sum(sceneFlowWarp(image, d as tf.Tensor4D, s as tf.Tensor4D, K).warped),
    )([depth, flow]);
    await expectFinite(...g);
    await expectNoLeaks(() => sceneFlowWarp(image, depth, flow, K));
    expect(() => sceneFlowWarp(image, depth, tf.zeros([1, 2, 2, 2]) as tf.Tensor4D, K)).toThrow(
      "sceneFlowWarp: 'sceneFlow' has shape [1,2,2,2] but expected [B,H,W,3].",
    );
    expect(() => sceneFlowWarp(image, depth, flow, intrinsics(2, 1, 1, 0, 0))).toThrow(ShapeError);
    tf.dispose([image, depth, K, flow, ...g]);
  });
});
