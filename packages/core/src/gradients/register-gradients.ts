/**
 * Registers tfjs-core's gradient functions (all of them, as `@tensorflow/tfjs` does) and its chained-op
 * methods, so that `tf.grad`, `tf.variableGrads` and optimizers work with tfjs-core alone.
 *
 * Both are loaded with dynamic imports: in the build they are bundled (plain Node cannot load
 * tfjs-core's own side-effect modules), and loading them lazily, after `@tensorflow/tfjs-core` has made
 * its global engine, keeps the bundled internals from ever creating a second one.
 *
 * @packageDocumentation
 */
import { getGradient, registerGradient } from '@tensorflow/tfjs-core';

let gradients: Promise<number> | undefined;
let chained: Promise<unknown> | undefined;

/**
 * Registers every tfjs-core gradient that is not registered yet. Idempotent; {@link initBackend} calls
 * it, so users rarely need to.
 *
 * @returns the number of gradient functions the first call registered (0 when all were present)
 * @example
 * ```ts
 * import { registerGradients } from '@genoise/core';
 * await registerGradients();
 * const g = tf.grad((x) => tf.square(x))(tf.scalar(3)); // 6
 * ```
 */
export function registerGradients(): Promise<number> {
  gradients ??= import('./gradient-configs').then(({ GRADIENT_CONFIGS }) => {
    let count = 0;
    for (const config of GRADIENT_CONFIGS) {
      if (getGradient(config.kernelName) === undefined) {
        registerGradient(config);
        count++;
      }
    }
    return count;
  });
  return gradients;
}

/**
 * Adds tfjs' chained-op methods (`x.square()`, `x.add(y)`, ...) to tensors, as `@tensorflow/tfjs`
 * does; tfjs-core alone ships them as side-effect modules. Loaded lazily, once. genoise's own code
 * calls functional ops (`tf.square(x)`) and does not depend on them; tfjs-layers and user code may.
 */
export function registerChainedOps(): Promise<unknown> {
  chained ??= import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
  return chained;
}
