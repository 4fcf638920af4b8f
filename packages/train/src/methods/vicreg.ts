import { simclrViews } from '@genoise/augment';
import type { Dataset } from '@genoise/data';
import { vicregTerms } from '@genoise/losses';
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

/** VICReg's options: the shared encoder, head and views, and the three term weights. */
export interface VicregOptions extends RepresentationOptions {
  readonly name: 'vicreg';
  /** λ, weight of the invariance (MSE) term. Default 25. */
  readonly invariance: number;
  /** μ, weight of the variance hinge. Default 25. */
  readonly variance: number;
  /** ν, weight of the covariance term. Default 1. */
  readonly covariance: number;
}

/**
 * VICReg: one encoder + projector for both views; `λ·invariance + μ·variance + ν·covariance` of the two
 * projections (eps 1e-4, target std 1), the three terms logged.
 *
 * @see Bardes, Ponce, LeCun 2022, "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning"
 */
export const vicreg: MethodSpec<VicregOptions, Dataset> = {
  name: 'vicreg',
  summary: 'VICReg: invariance + variance + covariance regularisation of the two views',
  paper: 'Bardes, Ponce, LeCun 2022, VICReg',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, steps: 1000 },
  options: { ...REPRESENTATION_OPTIONS, invariance: 25, variance: 25, covariance: 1 },
  validate(config) {
    checkRepresentation(config);
    for (const field of ['invariance', 'variance', 'covariance'] as const)
      numberOption(config.method[field], `method.${field}`, 0);
  },
  identity: representationIdentity,
  async create({ config, data, key }) {
    const options = config.method;
    const { encoder, projector } = buildBackbone(options, data.imageShape, key);
    const recipe = simclrViews(viewRecipeOptions(options, data.imageShape));
    const train = { training: true };
    return {
      name: 'vicreg',
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
        const terms = vicregTerms(z1, z2);
        const loss = tf.addN([
          tf.mul(options.invariance, terms.invariance),
          tf.mul(options.variance, terms.variance),
          tf.mul(options.covariance, terms.covariance),
        ]) as tf.Scalar;
        return {
          loss,
          terms: { invariance: terms.invariance, variance: terms.variance, covariance: terms.covariance },
        };
      },
      dispose() {
        encoder.dispose();
        projector.dispose();
      },
    };
  },
};
