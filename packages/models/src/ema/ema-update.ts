import { ArgumentError, checkNumber } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const OP = 'emaUpdate';

function checkModel(model: unknown, argument: string): asserts model is tfl.LayersModel {
  if (!(model instanceof tfl.LayersModel)) {
    throw new ArgumentError({ op: OP, argument, expected: 'a tf.LayersModel', actual: String(model) });
  }
}

function checkSameArchitecture(target: tfl.LayersModel, online: tfl.LayersModel): void {
  const t = target.weights;
  const o = online.weights;
  if (t.length !== o.length) {
    throw new ArgumentError({
      op: OP,
      argument: 'online',
      message: `${OP}: 'online' has ${o.length} weights but 'target' has ${t.length}; both must have the same architecture.`,
    });
  }
  t.forEach((weight, i) => {
    const other = o[i]!;
    if (weight.shape.join(',') !== other.shape.join(',')) {
      throw new ArgumentError({
        op: OP,
        argument: 'online',
        message: `${OP}: 'online' weight ${i} ('${other.originalName}') has shape [${other.shape.join(',')}] but 'target' weight ${i} ('${weight.originalName}') has [${weight.shape.join(',')}]; both must have the same architecture.`,
      });
    }
  });
}

/**
 * Moves every weight of `target` towards `online`, in place: `target <- m * target + (1 - m) * online`,
 * for the trainable weights and the batch-norm moving statistics alike (the target network of MoCo
 * and BYOL). Weights are matched by position and their shapes compared first.
 *
 * @param target - the EMA model, updated in place
 * @param online - the trained model, same architecture, not modified
 * @param momentum - `m` in [0, 1]: 1 keeps `target`, 0 copies `online` (BYOL 0.99 -> 1, MoCo 0.999)
 * @returns nothing; allocates no tensors that outlive the call
 * @throws ArgumentError when a model is not a LayersModel, `momentum` is outside [0, 1], or the two
 *   models' weight counts or shapes differ (the message names the first weight that differs)
 * @example
 * ```ts
 * const target = await cloneModel(online);
 * // after each optimizer step:
 * emaUpdate(target, online, cosineMomentum(step, totalSteps, 0.99));
 * ```
 * @see He et al., "Momentum Contrast for Unsupervised Visual Representation Learning" (MoCo), CVPR 2020,
 *   https://arxiv.org/abs/1911.05722; Grill et al., BYOL, https://arxiv.org/abs/2006.07733
 */
export function emaUpdate(target: tfl.LayersModel, online: tfl.LayersModel, momentum: number): void {
  checkModel(target, 'target');
  checkModel(online, 'online');
  checkNumber(momentum, { op: OP, arg: 'momentum', min: 0, max: 1 });
  checkSameArchitecture(target, online);
  const onlineWeights = online.weights;
  tf.tidy(OP, () => {
    target.weights.forEach((weight, i) => {
      const mixed = tf.add(tf.mul(weight.read(), momentum), tf.mul(onlineWeights[i]!.read(), 1 - momentum));
      weight.write(mixed);
    });
  });
}
