import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectFinite, intrinsics, seededTensor } from '../../test/helpers';
import { meshgrid } from '../sampler/meshgrid';
import { backproject } from './backproject';
import { invertIntrinsics } from './invert-intrinsics';
import { project } from './project';

describe('backproject', () => {
  it('lifts pixels to X = (x - cx) Z / fx, Y = (y - cy) Z / fy, Z', async () => {
    const K = intrinsics(1, 10, 20, 1, 0.5);
    const depth = tf.fill([1, 2, 3, 1], 4) as tf.Tensor4D;
    const points = backproject(depth, invertIntrinsics(K));
    const expected = [0, 1].map((y) => [0, 1, 2].map((x) => [((x - 1) * 4) / 10, ((y - 0.5) * 4) / 20, 4]));
    await expectTensorClose(points, [expected]);
    tf.dispose([K, depth, points]);
  });

  it('rejects mismatched batches and a rank-3 depth', () => {
    const Kinv = tf.zeros([2, 3, 3]) as tf.Tensor3D;
    expect(() => backproject(tf.ones([1, 2, 2, 1]) as tf.Tensor4D, Kinv)).toThrow(
      "backproject: 'Kinv' has shape [2,3,3] but 'depth' has [1,2,2,1]; 'B' must be the same size in both (1 vs 2).",
    );
    expect(() => backproject(tf.ones([2, 2, 1]) as unknown as tf.Tensor4D, Kinv)).toThrow(
      /add a batch dimension/,
    );
    Kinv.dispose();
  });
});

describe('project', () => {
  it('inverts backproject: pixels come back where they started, with their depth', async () => {
    const K = intrinsics(2, 12, 9, 2.5, 1.5);
    const depth = seededTensor<tf.Rank.R4>(1, [2, 3, 5, 1], 0.5, 5);
    const { coords, depth: z, valid } = project(backproject(depth, invertIntrinsics(K)), K);
    await expectTensorClose(coords, meshgrid(2, 3, 5), { atol: 1e-4 });
    await expectTensorClose(z, depth);
    await expectTensorClose(valid, tf.ones([2, 3, 5, 1]));
    tf.dispose([K, depth, coords, z, valid]);
  });

  it('clamps z to eps: points at, behind or NaN are finite and invalid', async () => {
    const K = intrinsics(1, 10, 10, 0, 0);
    const points = tf.tensor4d([1, 1, 2, 1, 1, 0, 1, 1, -3, Number.NaN, 0, 1], [1, 1, 4, 3]);
    const { coords, valid } = project(points, K, { eps: 0.01 });
    await expectTensorClose(valid, [[[[1], [0], [0], [0]]]]);
    await expectTensorClose(tf.slice(coords, [0, 0, 0, 0], [1, 1, 3, 2]), [
      [
        [
          [5, 5],
          [1000, 1000],
          [1000, 1000],
        ],
      ],
    ]);
    await expectFinite(tf.slice(coords, [0, 0, 0, 0], [1, 1, 3, 2]));
    const g = tf.grad((p: tf.Tensor) => tf.sum(project(p as tf.Tensor4D, K).coords))(
      tf.tensor4d([1, 1, 2, 1, 1, 0, 1, 1, -3], [1, 1, 3, 3]),
    );
    await expectFinite(g);
    tf.dispose([K, points, coords, valid, g]);
  });

  it('does not leak and validates', async () => {
    const K = intrinsics(1, 10, 10, 0, 0);
    const points = tf.ones([1, 2, 2, 3]) as tf.Tensor4D;
    await expectNoLeaks(() => project(points, K));
    const depth = tf.ones([1, 2, 2, 1]) as tf.Tensor4D;
    await expectNoLeaks(() => backproject(depth, K));
    depth.dispose();
    expect(() => project(points, tf.zeros([1, 3, 4]) as tf.Tensor3D)).toThrow(ShapeError);
    expect(() => project(points, K, { eps: -1 })).toThrow(
      "project: 'eps' is -1 but expected a finite number > 0.",
    );
    tf.dispose([K, points]);
  });
});
