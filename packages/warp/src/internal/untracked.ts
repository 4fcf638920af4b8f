import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` where the gradient tape cannot see it: its result is a constant to `tf.grad`, not merely a
 * zero gradient. The body runs as the forward pass of a `tf.customGrad` op that takes no inputs, and
 * tfjs records no op nested inside a kernel, so nothing links the result to the tensors `fn` closes over.
 *
 * The sampler needs this for its integer corner indices: were they reachable from the coordinates,
 * a gather's backward pass would hand the int32 `indices` an int32 "gradient" and the tape would throw
 * (it requires float32 gradients); and comparisons (`Greater`, `Less`, `LogicalAnd`) have no registered
 * gradient at all, so masks built from tracked tensors must be built here. A zero-gradient `stopGradient` node does not help, because its output
 * is still reachable.
 */
export function untracked<T extends tf.Tensor>(fn: () => T): T {
  const run = tf.customGrad(() => ({ value: fn(), gradFunc: () => [] }));
  return run() as T;
}
