import { checkDType, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

const OP = 'angularError';

/**
 * Per-pixel angle between predicted and true surface normals, in degrees:
 * `θ = atan2(||p × g||, p · g) · 180 / π`, which equals `acos(clamp(p̂ · ĝ, -1, 1))` for the unit vectors
 * `p̂ = p / ||p||`, `ĝ = g / ||g||` (so neither input needs to be normalised), but keeps float32 precision
 * near 0° and 180°, where `acos` of a rounded dot loses about 0.02°. A pixel where either vector has zero
 * length gets 90° (the angle `acos(0)` a normalised zero vector would give); mask such pixels out.
 *
 * @param pred - predicted normals `[B, H, W, 3]`, float32, any length
 * @param gt - true normals `[B, H, W, 3]`, float32, any length
 * @returns `[B, H, W, 1]` angles in degrees in `[0, 180]`, owned by the caller
 * @throws ShapeError when a shape is not `[B, H, W, 3]` or they differ; DTypeError when not float32
 * @example
 * ```ts
 * angularError(tf.tensor4d([1, 0, 0], [1, 1, 1, 3]), tf.tensor4d([1, 1, 0], [1, 1, 1, 3])); // [[[[45]]]]
 * ```
 * @see Fouhey, Gupta and Hebert, "Data-Driven 3D Primitives for Single Image Understanding", ICCV 2013
 *   (the mean / median / within-t° protocol)
 */
export const angularError = defineOp(OP, (pred: tf.Tensor, gt: tf.Tensor): tf.Tensor4D => {
  const dims = shapeBindings();
  checkShape(pred, ['B', 'H', 'W', 3], { op: OP, arg: 'pred', bindings: dims });
  checkShape(gt, ['B', 'H', 'W', 3], { op: OP, arg: 'gt', bindings: dims });
  checkDType(pred, ['float32'], { op: OP, arg: 'pred' });
  checkDType(gt, ['float32'], { op: OP, arg: 'gt' });
  const [px, py, pz] = tf.split(pred, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const [gx, gy, gz] = tf.split(gt, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const cross = tf.concat(
    [
      tf.sub(tf.mul(py, gz), tf.mul(pz, gy)),
      tf.sub(tf.mul(pz, gx), tf.mul(px, gz)),
      tf.sub(tf.mul(px, gy), tf.mul(py, gx)),
    ],
    3,
  ); // [B, H, W, 3]
  const sine = tf.sqrt(tf.sum(tf.square(cross), 3, true)); // ||p|| ||g|| sin θ
  const cosine = tf.sum(tf.mul(pred, gt), 3, true); // ||p|| ||g|| cos θ
  const degrees = tf.mul(tf.atan2(sine, cosine), 180 / Math.PI);
  const lengths = tf.mul(tf.sum(tf.square(pred), 3, true), tf.sum(tf.square(gt), 3, true));
  return tf.where(tf.greater(lengths, 0), degrees, tf.fill(degrees.shape, 90)) as tf.Tensor4D;
});
