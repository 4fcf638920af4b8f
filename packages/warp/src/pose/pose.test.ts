import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededTensor } from '../../test/helpers';
import { axisAngleToMatrix } from './axis-angle-to-matrix';
import { invertRigid } from './invert-rigid';
import { poseVecToMatrix } from './pose-vec-to-matrix';
import { transformPoints } from './transform-points';

const eye4 = (batch: number) => tf.tile(tf.expandDims(tf.eye(4), 0), [batch, 1, 1]);

describe('poseVecToMatrix', () => {
  it('puts R(r) top-left and t in the last column, [0,0,0,1] below', async () => {
    const vec = tf.tensor2d([[0, 0, Math.PI / 2, 1, 2, 3]]);
    const T = poseVecToMatrix(vec);
    await expectTensorClose(
      T,
      [
        [
          [0, -1, 0, 1],
          [1, 0, 0, 2],
          [0, 0, 1, 3],
          [0, 0, 0, 1],
        ],
      ],
      { atol: 1e-6 },
    );
    tf.dispose([vec, T]);
  });

  it('invert gives the inverse transform, for axis-angle and Euler rotations', async () => {
    const vec = seededTensor<tf.Rank.R2>(1, [3, 6], -1, 1);
    for (const rotation of ['axis-angle', 'euler'] as const) {
      const T = poseVecToMatrix(vec, { rotation });
      const Tinv = poseVecToMatrix(vec, { rotation, invert: true });
      await expectTensorClose(tf.matMul(Tinv, T), eye4(3), { atol: 1e-5 });
      await expectTensorClose(Tinv, invertRigid(T), { atol: 1e-6 });
      tf.dispose([T, Tinv]);
    }
    // Euler and axis-angle differ for a general vector.
    const [a, e] = [poseVecToMatrix(vec), poseVecToMatrix(vec, { rotation: 'euler' })];
    const diff = tf.max(tf.abs(tf.sub(a, e)));
    expect((await diff.data())[0]!).toBeGreaterThan(1e-2);
    tf.dispose([vec, a, e, diff]);
  });

  it('does not leak and validates', async () => {
    const vec = tf.zeros([2, 6]) as tf.Tensor2D;
    await expectNoLeaks(() => poseVecToMatrix(vec, { invert: true }));
    expect(() => poseVecToMatrix(tf.zeros([2, 7]) as tf.Tensor2D)).toThrow(
      "poseVecToMatrix: 'vec' has shape [2,7] but expected [B,6].",
    );
    expect(() => poseVecToMatrix(vec, { rotation: 'quaternion' as never })).toThrow(
      "poseVecToMatrix: 'rotation' is 'quaternion' but expected 'axis-angle' or 'euler'.",
    );
    expect(() => poseVecToMatrix(vec, { invert: 1 as never })).toThrow(ArgumentError);
    vec.dispose();
  });
});

describe('invertRigid', () => {
  it('gives invertRigid(T) T = T invertRigid(T) = I', async () => {
    const r = seededTensor<tf.Rank.R2>(2, [4, 3], -2, 2);
    const t = seededTensor<tf.Rank.R3>(3, [4, 3, 1], -5, 5);
    const bottom = tf.tile(tf.tensor3d([0, 0, 0, 1], [1, 1, 4]), [4, 1, 1]);
    const T = tf.concat([tf.concat([axisAngleToMatrix(r), t], 2), bottom], 1) as tf.Tensor3D;
    const Tinv = invertRigid(T);
    await expectTensorClose(tf.matMul(Tinv, T), eye4(4), { atol: 1e-5 });
    await expectTensorClose(tf.matMul(T, Tinv), eye4(4), { atol: 1e-5 });
    await expectNoLeaks(() => invertRigid(T));
    expect(() => invertRigid(tf.zeros([4, 4]) as unknown as tf.Tensor3D)).toThrow(ShapeError);
    tf.dispose([r, t, bottom, T, Tinv]);
  });
});

describe('transformPoints', () => {
  it('applies R X + t', async () => {
    const T = poseVecToMatrix(tf.tensor2d([[0, 0, Math.PI / 2, 1, 0, -1]]));
    const points = tf.tensor4d([1, 0, 0, 0, 2, 5], [1, 1, 2, 3]);
    const out = transformPoints(T, points);
    // Rz(90) (1,0,0) = (0,1,0); Rz(90) (0,2,5) = (-2,0,5); plus (1,0,-1).
    await expectTensorClose(
      out,
      [
        [
          [
            [1, 1, -1],
            [-1, 0, 4],
          ],
        ],
      ],
      { atol: 1e-6 },
    );
    await expectNoLeaks(() => transformPoints(T, points));
    expect(() => transformPoints(tf.zeros([2, 4, 4]) as tf.Tensor3D, points)).toThrow(
      "transformPoints: 'points' has shape [1,1,2,3] but 'T' has [2,4,4]; 'B' must be the same size in both (2 vs 1).",
    );
    tf.dispose([T, points, out]);
  });
});
