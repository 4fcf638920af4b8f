import * as tf from '@tensorflow/tfjs-core';

/**
 * `x` in the forward pass, a zero gradient in the backward pass (tfjs has no `stopGradient` op;
 * PyTorch's `.detach()`, JAX's `lax.stop_gradient`). The gradient is an explicit zero tensor, so
 * `tf.grads` still returns a (zero) gradient for an input reached only through it.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const detach = tf.customGrad((...inputs) => ({
    value: tf.clone(inputs[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return detach(x) as T;
}
