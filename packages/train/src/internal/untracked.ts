import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` where the gradient tape cannot see it: its result is a constant to `tf.grad`, not merely a
 * zero gradient. The body runs as the forward pass of a `tf.customGrad` op without inputs, and tfjs
 * records no op nested inside a kernel, so nothing links the result to the tensors `fn` closes over.
 * Masks built from comparisons of tracked tensors (comparisons have no registered gradient in tfjs)
 * and loss weights that must not be trained (self-mono-sf's dynamic balance) are built here, as
 * `.detach()` or `tf.stop_gradient` in the originals.
 */
export function untracked<T extends tf.Tensor>(fn: () => T): T {
  const run = tf.customGrad(() => ({ value: fn(), gradFunc: () => [] }));
  return run() as T;
}
