import { DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectFinite, seededTensor } from '../../test/helpers';
import { axisAngleToMatrix } from './axis-angle-to-matrix';
import { eulerToMatrix } from './euler-to-matrix';

const H = Math.PI / 2;
const RX90 = [
  [1, 0, 0],
  [0, 0, -1],
  [0, 1, 0],
];
const RY90 = [
  [0, 0, 1],
  [0, 1, 0],
  [-1, 0, 0],
];
const RZ90 = [
  [0, -1, 0],
  [1, 0, 0],
  [0, 0, 1],
];

describe('axisAngleToMatrix', () => {
  it('rotates by 90 degrees about each axis as derived by hand, and is the identity at zero', async () => {
    const r = tf.tensor2d([
      [H, 0, 0],
      [0, H, 0],
      [0, 0, H],
      [0, 0, 0],
    ]);
    const R = axisAngleToMatrix(r);
    await expectTensorClose(R, [RX90, RY90, RZ90, tf.eye(3).arraySync() as number[][]], { atol: 1e-6 });
    // A 90-degree turn about z sends x to y.
    const v = tf.matMul(tf.slice(R, [2, 0, 0], [1, 3, 3]), tf.tensor3d([1, 0, 0], [1, 3, 1]));
    await expectTensorClose(v, [[[0], [1], [0]]], { atol: 1e-6 });
    tf.dispose([r, R, v]);
  });

  it('gives orthonormal matrices (R R^T = I, det 1) for random vectors, small and large', async () => {
    const r = tf.concat([
      seededTensor<tf.Rank.R2>(1, [6, 3], -3, 3),
      seededTensor<tf.Rank.R2>(2, [2, 3], -1e-4, 1e-4),
    ]);
    const R = axisAngleToMatrix(r as tf.Tensor2D);
    const RRt = tf.matMul(R, R, false, true);
    await expectTensorClose(RRt, tf.tile(tf.expandDims(tf.eye(3), 0), [8, 1, 1]), { atol: 1e-5 });
    // R r = r: the axis is fixed.
    const Rr = tf.squeeze(tf.matMul(R, tf.expandDims(r, 2)), [2]);
    await expectTensorClose(Rr, r, { atol: 1e-5 });
    tf.dispose([r, R, RRt, Rr]);
  });

  it('has a finite, correct gradient at and near zero and at larger angles', async () => {
    const weights = seededTensor<tf.Rank.R3>(3, [3, 3, 3], -1, 1);
    const r = tf.tensor2d([
      [0, 0, 0],
      [1e-4, -2e-4, 5e-5],
      [0.7, -1.2, 0.4],
    ]);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(axisAngleToMatrix(x as tf.Tensor2D), weights));
    const g = tf.grad(f)(r);
    await expectFinite(g);
    await gradCheck(f, [r]);
    // At zero, dR/dr is the cross-product generator: d R[2,1] / d rx = 1, d R[1,2] / d rx = -1.
    const gx = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.slice(axisAngleToMatrix(x as tf.Tensor2D), [0, 2, 1], [1, 1, 1])),
    )(tf.zeros([1, 3]));
    await expectTensorClose(gx, [[1, 0, 0]]);
    tf.dispose([weights, r, g, gx]);
  });

  it('matches eulerToMatrix for a rotation about a single axis', async () => {
    const r = tf.tensor2d([
      [0.3, 0, 0],
      [0, -0.8, 0],
      [0, 0, 1.9],
    ]);
    const [a, e] = [axisAngleToMatrix(r), eulerToMatrix(r)];
    await expectTensorClose(a, e, { atol: 1e-6 });
    tf.dispose([r, a, e]);
  });

  it('does not leak and validates', async () => {
    const r = tf.zeros([2, 3]) as tf.Tensor2D;
    await expectNoLeaks(() => axisAngleToMatrix(r));
    await expectNoLeaks(() => tf.grad((x: tf.Tensor) => tf.sum(axisAngleToMatrix(x as tf.Tensor2D)))(r));
    expect(() => axisAngleToMatrix(tf.zeros([3]) as unknown as tf.Tensor2D)).toThrow(
      "axisAngleToMatrix: 'r' has shape [3] (rank 1) but expected [B,3] (rank 2).",
    );
    expect(() => axisAngleToMatrix(tf.zeros([2, 3], 'int32') as tf.Tensor2D)).toThrow(DTypeError);
    r.dispose();
  });
});

describe('eulerToMatrix', () => {
  it("follows SfMLearner's R = Rx(rx) Ry(ry) Rz(rz)", async () => {
    const angles = tf.tensor2d([
      [H, 0, 0],
      [0, H, 0],
      [0, 0, H],
      [H, H, 0],
    ]);
    const R = eulerToMatrix(angles);
    // Rx(90) Ry(90), multiplied out by hand.
    const RxRy = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ];
    await expectTensorClose(R, [RX90, RY90, RZ90, RxRy], { atol: 1e-6 });
    tf.dispose([angles, R]);
  });

  it('is orthonormal, differentiable and leak-free', async () => {
    const angles = seededTensor<tf.Rank.R2>(4, [3, 3], -2, 2);
    const R = eulerToMatrix(angles);
    await expectTensorClose(tf.matMul(R, R, true, false), tf.tile(tf.expandDims(tf.eye(3), 0), [3, 1, 1]), {
      atol: 1e-5,
    });
    await gradCheck(
      (a) => tf.sum(tf.mul(eulerToMatrix(a as tf.Tensor2D), tf.range(0, 27).reshape([3, 3, 3]))),
      [angles],
    );
    await expectNoLeaks(() => eulerToMatrix(angles));
    expect(() => eulerToMatrix(tf.zeros([2, 4]) as tf.Tensor2D)).toThrow(ShapeError);
    tf.dispose([angles, R]);
  });
});
