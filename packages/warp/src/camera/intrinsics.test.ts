import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { intrinsics } from '../../test/helpers';
import { invertIntrinsics } from './invert-intrinsics';
import { scaleIntrinsics } from './scale-intrinsics';

const eye = (batch: number) => tf.tile(tf.expandDims(tf.eye(3), 0), [batch, 1, 1]);

describe('invertIntrinsics', () => {
  it('gives K^-1 K = K K^-1 = I, with skew and per-batch K', async () => {
    const K = tf.tensor3d(
      [
        [
          [100, 0, 31.5],
          [0, 80, 15.5],
          [0, 0, 1],
        ],
        [
          [721.5, 0.7, 609.6],
          [0, 721.5, 172.9],
          [0, 0, 1],
        ],
      ],
      [2, 3, 3],
    );
    const Kinv = invertIntrinsics(K);
    const left = tf.matMul(Kinv, K);
    const right = tf.matMul(K, Kinv);
    await expectTensorClose(left, eye(2), { atol: 1e-5 });
    await expectTensorClose(right, eye(2), { atol: 1e-4 });
    // The textbook closed form for the first one.
    await expectTensorClose(tf.slice(Kinv, [0, 0, 0], [1, 3, 3]), [
      [
        [1 / 100, 0, -31.5 / 100],
        [0, 1 / 80, -15.5 / 80],
        [0, 0, 1],
      ],
    ]);
    tf.dispose([K, Kinv, left, right]);
  });

  it('is differentiable (finite differences) and does not leak', async () => {
    const K = intrinsics(1, 2, 1.5, 0.4, 0.3);
    await gradCheck(
      (k) => tf.sum(tf.mul(invertIntrinsics(k as tf.Tensor3D), tf.range(1, 10).reshape([1, 3, 3]))),
      [K],
    );
    await expectNoLeaks(() => invertIntrinsics(K));
    K.dispose();
  });

  it('rejects a K that is not [B,3,3]', () => {
    expect(() => invertIntrinsics(tf.zeros([3, 3]) as unknown as tf.Tensor3D)).toThrow(
      "invertIntrinsics: 'K' has shape [3,3] (rank 2) but expected [B,3,3] (rank 3).",
    );
    expect(() => invertIntrinsics(tf.zeros([1, 3, 4]) as tf.Tensor3D)).toThrow(ShapeError);
    expect(() => invertIntrinsics(tf.zeros([1, 3, 3], 'int32') as tf.Tensor3D)).toThrow(DTypeError);
  });
});

describe('scaleIntrinsics', () => {
  it('scales focal lengths and maps the principal point with half-pixel centres by default', async () => {
    // A 64x32 image with the principal point at its centre (31.5, 15.5): at half size it is (15.5, 7.5).
    const K = intrinsics(2, 100, 80, 31.5, 15.5);
    const half = scaleIntrinsics(K, 0.5);
    await expectTensorClose(tf.slice(half, [0, 0, 0], [1, 3, 3]), [
      [
        [50, 0, 15.5],
        [0, 40, 7.5],
        [0, 0, 1],
      ],
    ]);
    const corner = scaleIntrinsics(K, 0.5, { halfPixelCenters: false });
    await expectTensorClose(tf.slice(corner, [1, 0, 0], [1, 3, 3]), [
      [
        [50, 0, 15.75],
        [0, 40, 7.75],
        [0, 0, 1],
      ],
    ]);
    const aniso = scaleIntrinsics(K, [0.25, 0.5]);
    await expectTensorClose(tf.slice(aniso, [0, 0, 0], [1, 2, 3]), [
      [
        [25, 0, (31.5 + 0.5) * 0.25 - 0.5],
        [0, 40, 7.5],
      ],
    ]);
    tf.dispose([K, half, corner, aniso]);
  });

  it('does not leak and validates scale and K', async () => {
    const K = intrinsics(1, 10, 10, 2, 2);
    await expectNoLeaks(() => scaleIntrinsics(K, 0.5));
    expect(() => scaleIntrinsics(K, 0)).toThrow(
      "scaleIntrinsics: 'scale' is 0 but expected a finite number > 0.",
    );
    expect(() => scaleIntrinsics(K, [1, 2, 3] as never)).toThrow(ArgumentError);
    expect(() => scaleIntrinsics(K, 0.5, { halfPixelCenters: 'yes' as never })).toThrow(ArgumentError);
    expect(() => scaleIntrinsics(tf.zeros([1, 4, 4]) as tf.Tensor3D, 0.5)).toThrow(ShapeError);
    K.dispose();
  });
});
