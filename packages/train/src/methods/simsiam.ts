import { simclrViews } from '@genoise/augment';
import { splitKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { simsiamLoss } from '@genoise/losses';
import { predictionHead, trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodSpec } from '../method/method-spec';
import { buildBackbone } from './representation/backbone';
import {
  checkRepresentation,
  integerOption,
  REPRESENTATION_DEFAULTS,
  REPRESENTATION_OPTIONS,
  type RepresentationOptions,
  representationIdentity,
  type TwoViews,
  twoViews,
  viewRecipeOptions,
} from './representation/representation-options';

/** SimSiam's options: the shared encoder, head and views, and the predictor's bottleneck width. */
export interface SimsiamOptions extends RepresentationOptions {
  readonly name: 'simsiam';
  /** The predictor's hidden (bottleneck) width. Default 64 (the paper: a 512 bottleneck for 2048-d projections; this is the projection width at this scale). */
  readonly predictorHiddenDim: number;
}

/**
 * SimSiam: one encoder + projector for both views, a predictor on top, and the symmetrised negative
 * cosine `1/2 D(p1, sg(z2)) + 1/2 D(p2, sg(z1))`. No negatives and no momentum encoder: the stop-gradient
 * is what prevents collapse.
 *
 * @see Chen & He 2021, "Exploring Simple Siamese Representation Learning"
 */
export const simsiam: MethodSpec<SimsiamOptions, Dataset> = {
  name: 'simsiam',
  summary: 'SimSiam: predictor + stop-gradient, no negatives, no momentum encoder',
  paper: 'Chen & He 2021, Exploring Simple Siamese Representation Learning',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, steps: 1000 },
  options: { ...REPRESENTATION_OPTIONS, predictorHiddenDim: 64 },
  validate(config) {
    checkRepresentation(config);
    integerOption(config.method.predictorHiddenDim, 'method.predictorHiddenDim');
  },
  identity: (options) => [representationIdentity(options), options.predictorHiddenDim],
  async create({ config, data, key }) {
    const options = config.method;
    const [kModel, kPredictor] = splitKey(key, 2);
    const { encoder, projector } = buildBackbone(options, data.imageShape, kModel!);
    const predictor = predictionHead({
      inputDim: options.projection.outputDim,
      hiddenDim: options.predictorHiddenDim,
      outputDim: options.projection.outputDim,
      key: kPredictor!,
    });
    const recipe = simclrViews(viewRecipeOptions(options, data.imageShape));
    const train = { training: true };
    return {
      name: 'simsiam',
      encoder,
      models: [
        { name: 'encoder', model: encoder },
        { name: 'projector', model: projector },
        { name: 'predictor', model: predictor },
      ],
      trainableVariables: () => trainableVariables(encoder, projector, predictor),
      batch: (images, indices, viewKey) => twoViews(recipe, images, indices, viewKey),
      loss({ view1, view2 }: TwoViews) {
        const batch = view1.shape[0];
        const z = projector.apply(
          encoder.apply(tf.concat([view1, view2], 0), train) as tf.Tensor,
          train,
        ) as tf.Tensor2D;
        const p = predictor.apply(z, train) as tf.Tensor2D;
        const [z1, z2] = tf.split(z, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        const [p1, p2] = tf.split(p, [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        return { loss: simsiamLoss(p1, z2, p2, z1) };
      },
      dispose() {
        for (const m of [encoder, projector, predictor]) m.dispose();
      },
    };
  },
};
