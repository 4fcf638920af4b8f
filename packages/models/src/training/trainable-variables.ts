import { ArgumentError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * The `tf.Variable`s behind the trainable weights of one or more models, in order: the `varList` of
 * `tf.variableGrads(f, varList)` and `optimizer.minimize(f, returnCost, varList)`. Batch-norm moving
 * statistics are not trainable and are not listed; they update during `model.apply(x, { training: true })`
 * (see `BatchNorm`).
 *
 * @param models - one or more `tf.LayersModel`s (an encoder and its heads)
 * @returns the variables, shared with the models (not copies; do not dispose them)
 * @throws ArgumentError when an argument is not a LayersModel
 * @example
 * ```ts
 * const optimizer = tf.train.adam(1e-3);
 * const cost = optimizer.minimize(() => {
 *   const z = head.apply(encoder.apply(x, { training: true }), { training: true }) as tf.Tensor;
 *   return loss(z);
 * }, true, trainableVariables(encoder, head));
 * ```
 */
export function trainableVariables(...models: tfl.LayersModel[]): tf.Variable[] {
  models.forEach((model, i) => {
    if (!(model instanceof tfl.LayersModel)) {
      throw new ArgumentError({
        op: 'trainableVariables',
        argument: `models[${i}]`,
        expected: 'a tf.LayersModel',
        actual: String(model),
      });
    }
  });
  return models.flatMap((model) => model.trainableWeights.map((weight) => weight.read() as tf.Variable));
}
