import { checkInteger, checkNumber } from '@genoise/core';
import { inpaintingLoss, inpaintingTask } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import { denseHead } from './pretext/dense-head';
import { pretextMethod } from './pretext/pretext-method';
import type { PretextOptions } from './pretext/pretext-options';
import { invalid } from './representation/representation-options';

/** Context-encoder options. */
export interface InpaintingOptions extends PretextOptions {
  readonly name: 'inpainting';
  /** `'central'`: the centre square; `'random'`: random blob-shaped regions. Default `'central'`. */
  readonly region: 'central' | 'random';
  /** Central: side fraction of the predicted region (0.5, the paper's 64 of 128); random: pixel fraction. Default 0.5. */
  readonly fraction: number;
  /** Width of the overlap band around the hole, weighted 10x. Default 2 (the paper's 4 px of 128, at 28 px rounded up so a band remains). */
  readonly overlap: number;
  /** U-Net skips from the shallow stages into the decoder. Default false (the context encoder's bottleneck). */
  readonly skips: boolean;
}

/** An inpainting batch. */
export interface InpaintingBatch extends tf.NamedTensorMap {
  /** `[B, H, W, C]` images with the hole filled by the batch mean. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H, W, C]` the clean images. */
  readonly targets: tf.Tensor4D;
  /** `[B, H, W, 1]` 1 in the hole, 10 in the band, 0 elsewhere. */
  readonly weights: tf.Tensor4D;
}

/**
 * Context encoder (Pathak et al. 2016): the encoder sees an image with a hole, a decoder reads its
 * deepest stage and paints the image; the L2 loss covers the hole and the 10x-weighted band around it
 * (sigmoid outputs in [0, 1]). The adversarial term (0.001) is left out of this recipe: it needs its own
 * optimizer for the discriminator; `contextDiscriminator` and `adversarialLosses` in @genoise/pretext
 * are the parts for a loop that alternates.
 *
 * @see Pathak et al. 2016, "Context Encoders: Feature Learning by Inpainting"
 */
export const inpainting = pretextMethod<InpaintingOptions, InpaintingBatch>({
  name: 'inpainting',
  summary: 'Context encoder: paint the missing centre of an image (L2 on the hole and its band)',
  paper: 'Pathak et al. 2016, Context Encoders: Feature Learning by Inpainting',
  defaults: { batchSize: 128, steps: 600 },
  budgets: { tensorflow: 1500 },
  options: { region: 'central', fraction: 0.5, overlap: 2, skips: false },
  validate(config) {
    const m = config.method;
    const op = 'resolveTrainConfig';
    if (m.region !== 'central' && m.region !== 'random')
      invalid('method.region', "'central' | 'random'", m.region);
    checkNumber(m.fraction, {
      op,
      arg: 'method.fraction',
      min: 0,
      max: 1,
      exclusiveMin: true,
      exclusiveMax: true,
    });
    checkInteger(m.overlap, { op, arg: 'method.overlap', min: 0 });
    if (typeof m.skips !== 'boolean') invalid('method.skips', 'a boolean', m.skips);
  },
  identity: (o) => [o.skips],
  build({ options, data, encoder, key }) {
    const head = denseHead(encoder, {
      outputChannels: data.imageShape[2],
      skips: options.skips,
      key,
      name: 'inpainting_decoder',
    });
    return {
      head: { name: 'decoder', model: head.decoder },
      batch(images, stepKey) {
        const task = inpaintingTask(stepKey, images, {
          region: options.region,
          fraction: options.fraction,
          overlap: options.overlap,
        });
        task.hole.dispose();
        return { inputs: task.inputs, targets: task.targets, weights: task.weights };
      },
      loss({ inputs, targets, weights }) {
        const prediction = tf.sigmoid(head.apply(inputs));
        return { loss: inpaintingLoss(prediction, targets, weights) as tf.Scalar };
      },
      dispose: () => head.dispose(),
    };
  },
});
