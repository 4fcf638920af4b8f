import { ntXent } from '@genoise/losses';
import { trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import { buildBackbone } from './build-encoder';
import type { MethodContext, TrainingMethod } from './method';

/**
 * SimCLR: both views through one encoder and projection head (as one batch of 2B, so batch norm sees
 * both), NT-Xent over the 2B projections.
 *
 * @see Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations"
 */
export async function simclr({ config, imageShape, key }: MethodContext): Promise<TrainingMethod> {
  const { encoder, projector } = buildBackbone(config, imageShape, key);
  const forward = (x: tf.Tensor4D): tf.Tensor2D =>
    projector.apply(encoder.apply(x, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor2D;
  return {
    name: 'simclr',
    encoder,
    models: [
      { name: 'encoder', model: encoder },
      { name: 'projector', model: projector },
    ],
    trainableVariables: () => trainableVariables(encoder, projector),
    loss(view1, view2) {
      const batch = view1.shape[0];
      const z = forward(tf.concat([view1, view2], 0) as tf.Tensor4D);
      const [z1, z2] = tf.split(z, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
      return ntXent(z1, z2, { temperature: config.temperature });
    },
    afterStep() {},
    extraState: async () => [],
    restoreExtraState() {},
    dispose() {
      encoder.dispose();
      projector.dispose();
    },
  };
}
