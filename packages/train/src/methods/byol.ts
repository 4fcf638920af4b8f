import { splitKey } from '@genoise/core';
import { byolLoss } from '@genoise/losses';
import { cloneModel, cosineMomentum, emaUpdate, predictionHead, trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import { buildBackbone } from './build-encoder';
import type { MethodContext, TrainingMethod } from './method';

/**
 * BYOL: online encoder + projector + predictor regress the target network's projection of the other
 * view (`2 - 2 cos`, symmetrised); the target is an EMA of the online network whose momentum rises
 * from `byol.baseMomentum` to 1 on a cosine schedule. No negatives.
 *
 * @see Grill et al. 2020, "Bootstrap Your Own Latent"
 */
export async function byol({ config, imageShape, key }: MethodContext): Promise<TrainingMethod> {
  const [kModel, kPredictor] = splitKey(key, 2);
  const { encoder, projector } = buildBackbone(config, imageShape, kModel!);
  const predictor = predictionHead({
    inputDim: config.projection.outputDim,
    hiddenDim: config.prediction.hiddenDim,
    outputDim: config.projection.outputDim,
    key: kPredictor!,
  });
  const targetEncoder = await cloneModel(encoder);
  const targetProjector = await cloneModel(projector);
  const online = (x: tf.Tensor4D): tf.Tensor2D =>
    predictor.apply(
      projector.apply(encoder.apply(x, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor,
      {
        training: true,
      },
    ) as tf.Tensor2D;
  // byolLoss stops the target's gradient; the target's variables are not optimised either.
  const target = (x: tf.Tensor4D): tf.Tensor2D =>
    targetProjector.apply(targetEncoder.apply(x, { training: true }) as tf.Tensor, {
      training: true,
    }) as tf.Tensor2D;
  return {
    name: 'byol',
    encoder,
    models: [
      { name: 'encoder', model: encoder },
      { name: 'projector', model: projector },
      { name: 'predictor', model: predictor },
      { name: 'targetEncoder', model: targetEncoder },
      { name: 'targetProjector', model: targetProjector },
    ],
    trainableVariables: () => trainableVariables(encoder, projector, predictor),
    loss(view1, view2) {
      const batch = view1.shape[0];
      const both = tf.concat([view1, view2], 0) as tf.Tensor4D;
      const [p1, p2] = tf.split(online(both), [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
      const [t1, t2] = tf.split(target(both), [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
      return tf.add(byolLoss(p1, t2), byolLoss(p2, t1)) as tf.Scalar;
    },
    afterStep(step, totalSteps) {
      const m = cosineMomentum(step, totalSteps, config.byol.baseMomentum);
      emaUpdate(targetEncoder, encoder, m);
      emaUpdate(targetProjector, projector, m);
    },
    extraState: async () => [],
    restoreExtraState() {},
    dispose() {
      for (const m of [encoder, projector, predictor, targetEncoder, targetProjector]) m.dispose();
    },
  };
}
