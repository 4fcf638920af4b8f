import { simclrViews } from '@genoise/augment';
import type { Dataset } from '@genoise/data';
import { ntXent } from '@genoise/losses';
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

/** SimCLR's options: the shared encoder, head and views, and the NT-Xent temperature. */
export interface SimclrOptions extends RepresentationOptions {
  readonly name: 'simclr';
  /** NT-Xent temperature. Default 0.2 (measured best at this scale; the paper's CIFAR value is 0.5). */
  readonly temperature: number;
}

/**
 * SimCLR: both views through one encoder and projection head (as one batch of 2B, so batch norm sees
 * both), NT-Xent over the 2B projections.
 *
 * @see Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations"
 */
export const simclr: MethodSpec<SimclrOptions, Dataset> = {
  name: 'simclr',
  summary: 'SimCLR: two views, one encoder, NT-Xent over 2B projections',
  paper: 'Chen et al. 2020, A Simple Framework for Contrastive Learning of Visual Representations',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, steps: 1200 },
  // Measured on Fashion-MNIST, two CPU cores: 1,200 steps (wasm, ~8 min) kNN 75.1 / linear 82.1; on
  // tfjs-node 4,000 steps fit the same minutes and reach kNN 76.5 / linear 83.7.
  budgets: { tensorflow: 4000 },
  options: { ...REPRESENTATION_OPTIONS, temperature: 0.2 },
  validate(config) {
    checkRepresentation(config);
    numberOption(config.method.temperature, 'method.temperature', Number.MIN_VALUE);
  },
  identity: representationIdentity,
  async create({ config, data, key }) {
    const options = config.method;
    const { encoder, projector } = buildBackbone(options, data.imageShape, key);
    const recipe = simclrViews(viewRecipeOptions(options, data.imageShape));
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
      batch: (images, indices, viewKey) => twoViews(recipe, images, indices, viewKey),
      loss({ view1, view2 }: TwoViews) {
        const batch = view1.shape[0];
        const z = forward(tf.concat([view1, view2], 0) as tf.Tensor4D);
        const [z1, z2] = tf.split(z, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        return { loss: ntXent(z1, z2, { temperature: options.temperature }) };
      },
      dispose() {
        encoder.dispose();
        projector.dispose();
      },
    };
  },
};
