import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectFinite, intrinsics, seededTensor, translation } from '../../test/helpers';
import { poseVecToMatrix } from '../pose/pose-vec-to-matrix';
import { meshgrid } from '../sampler/meshgrid';
import { inverseWarp } from './inverse-warp';

describe('inverseWarp', () => {
  it('returns the source for the identity pose and any positive depth', async () => {
    const source = seededTensor<tf.Rank.R4>(1, [2, 4, 6, 3]);
    const depth = seededTensor<tf.Rank.R4>(2, [2, 4, 6, 1], 0.5, 20);
    const K = intrinsics(2, 7, 6, 2.5, 1.5);
    const T = translation([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const { warped, coords, valid } = inverseWarp(source, depth, T, K);
    await expectTensorClose(coords, meshgrid(2, 4, 6), { atol: 1e-4 });
    await expectTensorClose(warped, source, { atol: 1e-4 });
    await expectTensorClose(valid, tf.ones([2, 4, 6, 1]));
    tf.dispose([source, depth, K, T, warped, coords, valid]);
  });

  it('moves pixels by fx tx / Z for a pure x-translation (hand-derived)', async () => {
    // X_s = X_t + (tx, 0, 0), so x_s = fx (X_t + tx) / Z + cx = x_t + fx tx / Z.
    // fx = 10, Z = 4, tx = 0.2: a shift of 0.5 px; with tx = 0.4, exactly 1 px.
    const source = tf.tensor4d([0, 1, 2, 3, 4, 10, 20, 30, 40, 50], [1, 2, 5, 1]);
    const depth = tf.fill([1, 2, 5, 1], 4) as tf.Tensor4D;
    const K = intrinsics(1, 10, 10, 2, 0.5);
    const half = translation([[0.2, 0, 0]]);
    const a = inverseWarp(source, depth, half, K);
    const expectedX = [0, 1, 2, 3, 4].map((x) => x + 0.5);
    await expectTensorClose(tf.slice(a.coords, [0, 0, 0, 0], [1, 1, 5, 1]), [[expectedX.map((x) => [x])]], {
      atol: 1e-5,
    });
    await expectTensorClose(
      a.warped,
      [
        [
          [[0.5], [1.5], [2.5], [3.5], [2]],
          [[15], [25], [35], [45], [25]],
        ],
      ],
      {
        atol: 1e-5,
      },
    );
    // The last column lands at x = 4.5, outside [0, W-1]: invalid.
    await expectTensorClose(a.valid, [
      [
        [[1], [1], [1], [1], [0]],
        [[1], [1], [1], [1], [0]],
      ],
    ]);
    const one = translation([[0.4, 0, 0]]);
    const b = inverseWarp(source, depth, one, K, { padding: 'border' });
    await expectTensorClose(
      b.warped,
      [
        [
          [[1], [2], [3], [4], [4]],
          [[20], [30], [40], [50], [50]],
        ],
      ],
      { atol: 1e-5 },
    );
    tf.dispose([source, depth, K, half, one, a.warped, a.coords, a.valid, b.warped, b.coords, b.valid]);
  });

  it('has finite gradients w.r.t. depth and the pose vector that match finite differences', async () => {
    const source = seededTensor<tf.Rank.R4>(3, [1, 4, 5, 1]);
    // Depth in [2, 3] and t = (0.375, 0.375, 0.03) shift by fx t / Z in [0.5, 0.75] px, so the
    // coordinates stay away from integers (where bilinear sampling has kinks finite differences trip on).
    const depth = seededTensor<tf.Rank.R4>(4, [1, 4, 5, 1], 2, 3);
    const K = intrinsics(1, 4, 4, 2, 1.5);
    const vec = tf.tensor2d([[0.01, -0.015, 0.01, 0.375, 0.375, 0.03]]);
    const weights = seededTensor<tf.Rank.R4>(5, [1, 4, 5, 1], -1, 1);
    const loss = (d: tf.Tensor, v: tf.Tensor) =>
      tf.sum(
        tf.mul(
          inverseWarp(source, d as tf.Tensor4D, poseVecToMatrix(v as tf.Tensor2D), K, { padding: 'border' })
            .warped,
          weights,
        ),
      );
    const [gd, gv] = tf.grads(loss)([depth, vec]) as [tf.Tensor, tf.Tensor];
    await expectFinite(gd, gv);
    expect(Math.max(...Array.from(await tf.abs(gv).data()))).toBeGreaterThan(1e-2);
    await gradCheck(loss, [depth, vec], { eps: 1e-3, rtol: 2e-2, atol: 2e-3 });
    tf.dispose([source, depth, K, vec, weights, gd, gv]);
  });

  it('clamps zero, negative and non-finite depth: no NaN out (values or gradients), those pixels invalid', async () => {
    const source = seededTensor<tf.Rank.R4>(6, [1, 2, 3, 1]);
    const depth = tf.tensor4d([1, 0, -2, Number.NaN, Number.POSITIVE_INFINITY, 3], [1, 2, 3, 1]);
    const K = intrinsics(1, 3, 3, 1, 0.5);
    // Moving the camera forward puts some points behind it (z <= eps) as well.
    const T = translation([[0.1, 0, -2]]);
    const { warped, coords, valid } = inverseWarp(source, depth, T, K);
    await expectFinite(warped, coords, valid);
    const v = Array.from(await valid.data());
    expect([v[1], v[2], v[3], v[4]]).toEqual([0, 0, 0, 0]);
    const g = tf.grads((d: tf.Tensor, s: tf.Tensor) =>
      tf.sum(inverseWarp(s as tf.Tensor4D, d as tf.Tensor4D, T, K).warped),
    )([depth, source]);
    await expectFinite(...g);
    tf.dispose([source, depth, K, T, warped, coords, valid, ...g]);
  });

  it('does not leak (forward and backward)', async () => {
    const source = seededTensor<tf.Rank.R4>(7, [1, 3, 3, 2]);
    const depth = tf.fill([1, 3, 3, 1], 2) as tf.Tensor4D;
    const K = intrinsics(1, 3, 3, 1, 1);
    const T = translation([[0.1, 0.2, 0.3]]);
    await expectNoLeaks(() => inverseWarp(source, depth, T, K));
    await expectNoLeaks(() =>
      tf.grads((d: tf.Tensor, t: tf.Tensor) =>
        tf.sum(inverseWarp(source, d as tf.Tensor4D, t as tf.Tensor3D, K).warped),
      )([depth, T]),
    );
    tf.dispose([source, depth, K, T]);
  });

  it('rejects mismatched batches, sizes, a rank-3 source, a bad K and bad options', () => {
    const source = tf.zeros([2, 3, 4, 3]) as tf.Tensor4D;
    const depth = tf.ones([2, 3, 4, 1]) as tf.Tensor4D;
    const K = intrinsics(2, 1, 1, 0, 0);
    const T = translation([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(() => inverseWarp(source, tf.ones([1, 3, 4, 1]) as tf.Tensor4D, T, K)).toThrow(
      "inverseWarp: 'depth' has shape [1,3,4,1] but 'source' has [2,3,4,3]; 'B' must be the same size in both (2 vs 1).",
    );
    expect(() => inverseWarp(source, depth, T, intrinsics(1, 1, 1, 0, 0))).toThrow(
      "inverseWarp: 'K' has shape [1,3,3] but 'source' has [2,3,4,3]; 'B' must be the same size in both (2 vs 1).",
    );
    expect(() => inverseWarp(source, depth, translation([[0, 0, 0]]), K)).toThrow(
      "inverseWarp: 'srcTransTgt' has shape [1,4,4] but 'source' has [2,3,4,3]; 'B' must be the same size in both (2 vs 1).",
    );
    expect(() => inverseWarp(source, tf.ones([2, 3, 5, 1]) as tf.Tensor4D, T, K)).toThrow(ShapeError);
    expect(() => inverseWarp(tf.zeros([3, 4, 3]) as unknown as tf.Tensor4D, depth, T, K)).toThrow(
      "inverseWarp: 'source' has shape [3,4,3] (rank 3) but expected [B,H,W,C] (rank 4). Maps are batched [B,H,W,C]; add a batch dimension with asBatch(x) or x.expandDims(0).",
    );
    expect(() => inverseWarp(source, depth, T, tf.zeros([2, 3, 4]) as tf.Tensor3D)).toThrow(
      "inverseWarp: 'K' has shape [2,3,4] but expected [B,3,3].",
    );
    expect(() => inverseWarp(source, tf.ones([2, 3, 4, 1], 'int32') as tf.Tensor4D, T, K)).toThrow(
      DTypeError,
    );
    expect(() => inverseWarp(source, depth, T, K, { padding: 'mirror' as never })).toThrow(ArgumentError);
    expect(() => inverseWarp(source, depth, T, K, { eps: 0 })).toThrow(ArgumentError);
    tf.dispose([source, depth, K, T]);
  });
});
