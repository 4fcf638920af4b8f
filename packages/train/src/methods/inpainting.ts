import { checkInteger, checkNumber, splitKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { trainableVariables } from '@genoise/models';
import { inpaintingLoss, inpaintingTask } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodSpec } from '../method/method-spec';
import { denseHead } from './pretext/dense-head';
import {
  checkPretext,
  imagesAt,
  PRETEXT_DEFAULTS,
  PRETEXT_OPTIONS,
  type PretextOptions,
  pretextIdentity,
} from './pretext/pretext-options';
import { buildEncoder } from './representation/backbone';
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
export const inpainting: MethodSpec<InpaintingOptions, Dataset> = {
  name: 'inpainting',
  summary: 'Context encoder: paint the missing centre of an image (L2 on the hole and its band)',
  paper: 'Pathak et al. 2016, Context Encoders: Feature Learning by Inpainting',
  task: 'representation',
  data: 'images',
  defaults: { ...PRETEXT_DEFAULTS, batchSize: 128, steps: 600 },
  budgets: { tensorflow: 1500 },
  options: { ...PRETEXT_OPTIONS, region: 'central', fraction: 0.5, overlap: 2, skips: false },
  validate(config) {
    checkPretext(config);
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
  identity: (o) => [pretextIdentity(o), o.skips],
  async create({ config, data, key }) {
    const options = config.method;
    const [kEncoder, kDecoder] = splitKey(key, 2);
    const encoder = buildEncoder(options, data.imageShape, kEncoder!);
    const head = denseHead(encoder, {
      outputChannels: data.imageShape[2],
      skips: options.skips,
      key: kDecoder!,
      name: 'inpainting_decoder',
    });
    return {
      name: 'inpainting',
      encoder,
      models: [
        { name: 'encoder', model: encoder },
        { name: 'decoder', model: head.decoder },
      ],
      trainableVariables: () => trainableVariables(encoder, head.decoder),
      batch(images, indices, stepKey): InpaintingBatch {
        const x = imagesAt(images, indices);
        const task = inpaintingTask(stepKey, x, {
          region: options.region,
          fraction: options.fraction,
          overlap: options.overlap,
        });
        x.dispose();
        task.hole.dispose();
        return { inputs: task.inputs, targets: task.targets, weights: task.weights };
      },
      loss({ inputs, targets, weights }: InpaintingBatch) {
        const prediction = tf.sigmoid(head.apply(inputs));
        return { loss: inpaintingLoss(prediction, targets, weights) as tf.Scalar };
      },
      dispose() {
        head.dispose();
        encoder.dispose();
      },
    };
  },
};
