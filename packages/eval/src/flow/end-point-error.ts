import { checkDType, checkShape, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

const OP = 'endPointError';

/**
 * Per-pixel end-point error of an optical flow: `EPE(x) = ||pred(x) - gt(x)||_2`, in pixels.
 *
 * @param pred - predicted flow `[B, H, W, 2]` (u, v) in pixels, float32
 * @param gt - true flow `[B, H, W, 2]`, float32
 * @returns `[B, H, W, 1]` errors in pixels, owned by the caller
 * @throws ShapeError when a shape is not `[B, H, W, 2]` or they differ; DTypeError when not float32
 * @example
 * ```ts
 * endPointError(tf.tensor4d([3, 4], [1, 1, 1, 2]), tf.zeros([1, 1, 1, 2])); // [[[[5]]]]
 * ```
 * @see Baker et al., "A Database and Evaluation Methodology for Optical Flow", IJCV 2011
 */
export const endPointError = defineOp(OP, (pred: tf.Tensor, gt: tf.Tensor): tf.Tensor4D => {
  const dims = shapeBindings();
  checkShape(pred, ['B', 'H', 'W', 2], { op: OP, arg: 'pred', bindings: dims });
  checkShape(gt, ['B', 'H', 'W', 2], { op: OP, arg: 'gt', bindings: dims });
  checkDType(pred, ['float32'], { op: OP, arg: 'pred' });
  checkDType(gt, ['float32'], { op: OP, arg: 'gt' });
  return tf.sqrt(tf.sum(tf.square(tf.sub(pred, gt)), 3, true)) as tf.Tensor4D;
});
