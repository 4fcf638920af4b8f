import { simclrViews } from '@genoise/augment';
import type { Dataset } from '@genoise/data';
import { barlowTwinsLoss } from '@genoise/losses';
import { trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodSpec } from '../method/method-spec';
import { buildBackbone } from './representation/backbone';
import {
  checkRepresentation,
  numberOption,
  REPRESENTATION_DEFAULTS,
  REPRESENTATION_OPTIONS,
  type RepresentationOptions,
  representationIdentity,
  type TwoViews,
  twoViews,
  viewRecipeOptions,
} from './representation/representation-options';

/** Barlow Twins' options: the shared encoder, head and views, and λ. */
export interface BarlowTwinsOptions extends RepresentationOptions {
  readonly name: 'barlow-twins';
  /** λ, the off-diagonal (redundancy-reduction) weight. Default 5e-3 (the paper's). */
  readonly lambda: number;
}

/**
 * Barlow Twins: one encoder + projector for both views; the cross-correlation of the batch-normalised
 * projections is pushed to the identity, `Σ_i (1 - C_ii)² + λ Σ_{i≠j} C_ij²`.
 *
 * @see Zbontar et al. 2021, "Barlow Twins: Self-Supervised Learning via Redundancy Reduction"
 */
export const barlowTwins: MethodSpec<BarlowTwinsOptions, Dataset> = {
  name: 'barlow-twins',
  summary: 'Barlow Twins: cross-correlation of the two views pushed to the identity',
  paper: 'Zbontar et al. 2021, Barlow Twins: Self-Supervised Learning via Redundancy Reduction',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, steps: 1000 },
  options: { ...REPRESENTATION_OPTIONS, lambda: 5e-3 },
  validate(config) {
    checkRepresentation(config);
    numberOption(config.method.lambda, 'method.lambda', 0);
  },
  identity: representationIdentity,
  async create({ config, data, key }) {
    const options = config.method;
    const { encoder, projector } = buildBackbone(options, data.imageShape, key);
    const recipe = simclrViews(viewRecipeOptions(options, data.imageShape));
    const train = { training: true };
    return {
      name: 'barlow-twins',
      encoder,
      models: [
        { name: 'encoder', model: encoder },
        { name: 'projector', model: projector },
      ],
      trainableVariables: () => trainableVariables(encoder, projector),
      batch: (images, indices, viewKey) => twoViews(recipe, images, indices, viewKey),
      loss({ view1, view2 }: TwoViews) {
        const batch = view1.shape[0];
        const z = projector.apply(
          encoder.apply(tf.concat([view1, view2], 0), train) as tf.Tensor,
          train,
        ) as tf.Tensor2D;
        const [z1, z2] = tf.split(z, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        return { loss: barlowTwinsLoss(z1, z2, { lambda: options.lambda }) };
      },
      dispose() {
        encoder.dispose();
        projector.dispose();
      },
    };
  },
};
