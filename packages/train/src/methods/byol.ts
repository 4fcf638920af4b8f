import { byolViews } from '@genoise/augment';
import { splitKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { byolLoss } from '@genoise/losses';
import { cloneModel, cosineMomentum, emaUpdate, predictionHead, trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodSpec } from '../method/method-spec';
import { buildBackbone } from './representation/backbone';
import {
  checkRepresentation,
  integerOption,
  numberOption,
  REPRESENTATION_DEFAULTS,
  REPRESENTATION_OPTIONS,
  type RepresentationOptions,
  representationIdentity,
  type TwoViews,
  twoViews,
  viewRecipeOptions,
} from './representation/representation-options';

/** BYOL's options: the shared encoder, head and views, the predictor's width and the EMA's base momentum. */
export interface ByolOptions extends RepresentationOptions {
  readonly name: 'byol';
  /** The predictor's hidden width. Default 256. */
  readonly predictorHiddenDim: number;
  /** Base EMA momentum τ, raised to 1 on a cosine schedule. Default 0.99. */
  readonly baseMomentum: number;
}

/**
 * BYOL: online encoder + projector + predictor regress the target network's projection of the other
 * view (`2 - 2 cos`, symmetrised); the target is an EMA of the online network whose momentum rises
 * from `baseMomentum` to 1 on a cosine schedule. No negatives.
 *
 * @see Grill et al. 2020, "Bootstrap Your Own Latent"
 */
export const byol: MethodSpec<ByolOptions, Dataset> = {
  name: 'byol',
  summary: 'BYOL: online network predicts an EMA target network, no negatives',
  paper: 'Grill et al. 2020, Bootstrap Your Own Latent',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, learningRate: 2e-3, steps: 800 },
  options: { ...REPRESENTATION_OPTIONS, predictorHiddenDim: 256, baseMomentum: 0.99 },
  validate(config) {
    checkRepresentation(config);
    integerOption(config.method.predictorHiddenDim, 'method.predictorHiddenDim');
    numberOption(config.method.baseMomentum, 'method.baseMomentum', 0, 1);
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
    const targetEncoder = await cloneModel(encoder);
    const targetProjector = await cloneModel(projector);
    const recipe = byolViews(viewRecipeOptions(options, data.imageShape));
    const train = { training: true };
    const online = (x: tf.Tensor4D): tf.Tensor2D =>
      predictor.apply(
        projector.apply(encoder.apply(x, train) as tf.Tensor, train) as tf.Tensor,
        train,
      ) as tf.Tensor2D;
    // byolLoss stops the target's gradient; the target's variables are not optimised either.
    const target = (x: tf.Tensor4D): tf.Tensor2D =>
      targetProjector.apply(targetEncoder.apply(x, train) as tf.Tensor, train) as tf.Tensor2D;
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
      batch: (images, indices, viewKey) => twoViews(recipe, images, indices, viewKey),
      loss({ view1, view2 }: TwoViews) {
        const batch = view1.shape[0];
        const both = tf.concat([view1, view2], 0) as tf.Tensor4D;
        const [p1, p2] = tf.split(online(both), [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        const [t1, t2] = tf.split(target(both), [batch, batch], 0) as [tf.Tensor2D, tf.Tensor2D];
        return { loss: tf.add(byolLoss(p1, t2), byolLoss(p2, t1)) as tf.Scalar };
      },
      afterStep(step, totalSteps) {
        const m = cosineMomentum(step, totalSteps, options.baseMomentum);
        emaUpdate(targetEncoder, encoder, m);
        emaUpdate(targetProjector, projector, m);
      },
      dispose() {
        for (const m of [encoder, projector, predictor, targetEncoder, targetProjector]) m.dispose();
      },
    };
  },
};
