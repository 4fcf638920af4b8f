import { ArgumentError, checkInteger, checkNumber, resizeBilinear } from '@genoise/core';
import {
  AB_BIN_COUNT,
  abHistogram,
  colorizationLoss,
  colorizationTask,
  rebalancingWeights,
  rgbToLab,
} from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import { denseHead } from './pretext/dense-head';
import { pretextMethod } from './pretext/pretext-method';
import type { PretextOptions } from './pretext/pretext-options';
import { invalid } from './representation/representation-options';

/** Colorization options. */
export interface ColorizationOptions extends PretextOptions {
  readonly name: 'colorization';
  /** Class rebalancing mix `lambda` (0.5, the paper); 0 turns rebalancing off (every colour weighs 1). */
  readonly rebalance: number;
  /** Images whose ab prior sets the rebalancing weights (the first ones of the data). Default 2000. */
  readonly priorImages: number;
  /** U-Net skips from the shallow stages into the decoder. Default false (Zhang et al.'s net has none). */
  readonly skips: boolean;
  /** The prediction's stride: colours are predicted on a grid `stride` times coarser than the image. Default 4 (Zhang et al.'s 1/4 resolution). */
  readonly stride: number;
}

/** A colorization batch: lightness in, soft-encoded ab out. */
export interface ColorizationBatch extends tf.NamedTensorMap {
  /** `[B, H, W, 1]` `L / 100`. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H / stride, W / stride, 261]` soft-encoded ab (of the image resized to that grid) over the nearest bins. */
  readonly targets: tf.Tensor4D;
  /** `[B]` 0 for near-grey images, which the loss drops (as the authors' code). */
  readonly colorful: tf.Tensor1D;
}

const OP = 'colorization';

/** `L / 100` of RGB images `[B, H, W, 3]`, `[B, H, W, 1]`: what the colorization encoder sees. */
function lightness(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(tf.slice(rgbToLab(images), [0, 0, 0, 0], [-1, -1, -1, 1]), 100) as tf.Tensor4D);
}

/**
 * Colorization (Zhang et al. 2016): the encoder sees the lightness L of a colour image, a decoder on
 * its deepest stage predicts a distribution over the 261 in-gamut ab bins at every pixel, trained by
 * cross-entropy against the soft-encoded true colour, with class rebalancing from the data's own ab
 * prior so rare saturated colours count. Needs colour data whose colour carries meaning (the trainer's
 * default is `synthetic-objects`: the class of a rendered object decides its colour).
 *
 * @see Zhang, Isola, Efros 2016, "Colorful Image Colorization"
 */
export const colorization = pretextMethod<ColorizationOptions, ColorizationBatch>({
  name: 'colorization',
  summary: 'Colorful image colorization: predict the ab colour bins of each pixel from lightness',
  paper: 'Zhang, Isola, Efros 2016, Colorful Image Colorization',
  imageChannels: 3,
  defaultData: 'synthetic-objects',
  defaults: { batchSize: 64, steps: 300 },
  budgets: { tensorflow: 800 },
  options: { rebalance: 0.5, priorImages: 2000, skips: false, stride: 4 },
  validate(config) {
    const m = config.method;
    checkNumber(m.rebalance, { op: 'resolveTrainConfig', arg: 'method.rebalance', min: 0, max: 1 });
    checkInteger(m.priorImages, { op: 'resolveTrainConfig', arg: 'method.priorImages', min: 1 });
    if (typeof m.skips !== 'boolean') invalid('method.skips', 'a boolean', m.skips);
    checkInteger(m.stride, { op: 'resolveTrainConfig', arg: 'method.stride', min: 1 });
  },
  identity: (o) => [o.skips, o.stride],
  encoderShape(data) {
    const [height, width, channels] = data.imageShape;
    if (channels !== 3) {
      throw new ArgumentError({
        op: OP,
        argument: 'data',
        expected: 'colour images [H, W, 3] (e.g. --data synthetic-objects, or a folder with --channels 3)',
        actual: `${data.name}: [${data.imageShape.join(', ')}]`,
      });
    }
    return [height, width, 1];
  },
  build({ options, data, encoder, key }) {
    const [height, width] = data.imageShape;
    const grid: [number, number] = [
      Math.max(1, Math.round(height / options.stride)),
      Math.max(1, Math.round(width / options.stride)),
    ];
    const head = denseHead(encoder, {
      outputShape: grid,
      outputChannels: AB_BIN_COUNT,
      skips: options.skips,
      key,
      name: 'colorization_decoder',
    });
    // The empirical ab prior of the first images, for class rebalancing.
    let weights: tf.Tensor1D | undefined;
    if (options.rebalance > 0) {
      const n = Math.min(options.priorImages, data.size);
      let counts: tf.Tensor1D = tf.zeros([AB_BIN_COUNT]);
      for (let start = 0; start < n; start += 256) {
        const indices = Array.from({ length: Math.min(256, n - start) }, (_, i) => start + i);
        const next = tf.tidy(() => {
          const ab = tf.slice(rgbToLab(data.images(indices)), [0, 0, 0, 1], [-1, -1, -1, 2]);
          return tf.add(counts, abHistogram(ab)) as tf.Tensor1D;
        });
        counts.dispose();
        counts = next;
      }
      weights = rebalancingWeights(counts, { mix: options.rebalance });
      counts.dispose();
    }
    return {
      head: { name: 'decoder', model: head.decoder },
      encoderInput: lightness,
      batch(images, stepKey) {
        const inputs = lightness(images);
        const coarse = resizeBilinear(images, grid);
        const task = colorizationTask(stepKey, coarse);
        tf.dispose([coarse, task.ab, task.inputs]);
        return { inputs, targets: task.targets, colorful: task.colorful };
      },
      loss({ inputs, targets, colorful }) {
        const logits = head.apply(inputs);
        const loss = colorizationLoss(logits, targets, {
          ...(weights === undefined ? {} : { weights }),
          sampleWeights: colorful,
        });
        return { loss: loss as tf.Scalar };
      },
      dispose() {
        head.dispose();
        weights?.dispose();
      },
    };
  },
});
