import * as tf from '@tensorflow/tfjs-core';

/** The 9 entries of `m` `[B, 3, 3]`, row-major, each `[B]`. */
export function entries3(m: tf.Tensor): tf.Tensor1D[] {
  const batch = m.shape[0]!;
  return tf.unstack(tf.reshape(m, [batch, 9]), 1) as tf.Tensor1D[];
}

/** `[B, 3, 3]` from 9 row-major entries, each `[B]`. */
export function fromEntries3(values: readonly tf.Tensor[]): tf.Tensor3D {
  const batch = values[0]!.shape[0]!;
  return tf.reshape(tf.stack([...values], 1), [batch, 3, 3]) as tf.Tensor3D;
}

/** `R` `[B, 3, 3]` and `t` `[B, 3, 1]` of rigid transforms `[B, 4, 4]`. */
export function rigidParts(T: tf.Tensor): { R: tf.Tensor3D; t: tf.Tensor3D } {
  const batch = T.shape[0]!;
  return {
    R: tf.slice(T, [0, 0, 0], [batch, 3, 3]) as tf.Tensor3D,
    t: tf.slice(T, [0, 0, 3], [batch, 3, 1]) as tf.Tensor3D,
  };
}

/** `[[R, t], [0, 0, 0, 1]]` `[B, 4, 4]` from `R` `[B, 3, 3]` and `t` `[B, 3, 1]`. */
export function composeRigid(R: tf.Tensor, t: tf.Tensor): tf.Tensor3D {
  const batch = R.shape[0]!;
  const bottom = tf.tile(tf.tensor3d([0, 0, 0, 1], [1, 1, 4]), [batch, 1, 1]);
  return tf.concat([tf.concat([R, t], 2), bottom], 1) as tf.Tensor3D;
}

/** Applies `R` `[B, 3, 3]` and `t` `[B, 3, 1]` to points `[B, H, W, 3]`: `R p + t`. */
export function applyRigid(R: tf.Tensor, t: tf.Tensor, points: tf.Tensor): tf.Tensor4D {
  const [batch, height, width] = points.shape as [number, number, number, number];
  const flat = tf.reshape(points, [batch, height * width, 3]);
  const moved = tf.add(tf.matMul(flat, R, false, true), tf.reshape(t, [batch, 1, 3]));
  return tf.reshape(moved, [batch, height, width, 3]) as tf.Tensor4D;
}

/** Applies `M` `[B, 3, 3]` to vectors `[B, H, W, 3]`: `M v`. */
export function applyMatrix(M: tf.Tensor, v: tf.Tensor): tf.Tensor4D {
  const [batch, height, width] = v.shape as [number, number, number, number];
  const out = tf.matMul(tf.reshape(v, [batch, height * width, 3]), M, false, true);
  return tf.reshape(out, [batch, height, width, 3]) as tf.Tensor4D;
}
