import type { Key } from '@genoise/core';
import { type NormalMetrics, normalMetrics } from '@genoise/eval';
import { withInputShape } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { denseHead } from '../methods/pretext/dense-head';
import { fineTune } from './fine-tune';

/** Images with surface normals: what {@link fineTuneNormals} trains and tests on (`syntheticNormalsSet`). */
export interface NormalsData {
  readonly count: number;
  /** `image` `[n, H, W, C]`, `normal` `[n, H, W, 3]` unit camera-frame normals, `valid` `[n, H, W, 1]`. */
  batch(indices: readonly number[]): { image: tf.Tensor4D; normal: tf.Tensor4D; valid: tf.Tensor4D };
}

/** Options of {@link fineTuneNormals}. */
export interface FineTuneNormalsOptions {
  /** The encoder (any input size: it is rebuilt at the data's, sharing weights), trained in place. */
  readonly encoder: tfl.LayersModel;
  /** What the encoder sees of the images (a method's `encoderInput`); default the images. */
  readonly encoderInput?: ((images: tf.Tensor4D) => tf.Tensor4D) | undefined;
  readonly train: NormalsData;
  readonly test: NormalsData;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate?: number;
  /** Draws the decoder's weights and the data order. */
  readonly key: Key;
}

/** What {@link fineTuneNormals} measured. */
export interface FineTuneNormalsResult {
  /** Angular errors on the test set (degrees; shares under 11.25, 22.5 and 30 degrees in percent). */
  readonly metrics: NormalMetrics;
  readonly losses: readonly number[];
}

/**
 * Transfer to a dense task: the encoder's stages with a U-Net decoder (skips) predicting surface
 * normals, every weight fine-tuned on the labelled views by the mean of `1 - cos(n̂, n)` over valid
 * pixels (the prediction normalised), then mean / median angular error and the shares within 11.25,
 * 22.5 and 30 degrees on the test views: the units of Doersch et al.'s NYU table.
 *
 * @see Doersch, Gupta, Efros 2015 (surface-normal transfer); Wang, Fouhey, Gupta 2015 (the metrics)
 */
export async function fineTuneNormals(options: FineTuneNormalsOptions): Promise<FineTuneNormalsResult> {
  const { encoder, encoderInput, train, test, steps, batchSize, learningRate, key } = options;
  const see = (images: tf.Tensor4D): tf.Tensor4D => (encoderInput ? encoderInput(images) : images);
  const probe = train.batch([0]);
  const inputShape = tf.tidy(() => see(probe.image)).shape.slice(1) as [number, number, number];
  tf.dispose([probe.image, probe.normal, probe.valid]);
  const trunk = withInputShape(encoder, inputShape);
  const head = denseHead(trunk, { outputChannels: 3, skips: true, key, name: 'normals_decoder' });
  try {
    const losses = await fineTune({
      models: [trunk, head.decoder],
      data: { size: train.count, batch: (indices) => train.batch(indices) },
      loss: ({ image, normal, valid }) => {
        const raw = head.apply(see(image)); // [B, H, W, 3]
        const unit = tf.div(raw, tf.add(tf.norm(raw, 'euclidean', -1, true), 1e-6));
        const cosine = tf.sum(tf.mul(unit, normal), -1, true); // [B, H, W, 1]
        const loss = tf.div(tf.sum(tf.mul(tf.sub(1, cosine), valid)), tf.maximum(tf.sum(valid), 1));
        return { loss: loss as tf.Scalar };
      },
      steps,
      batchSize,
      ...(learningRate === undefined ? {} : { learningRate }),
      key,
    });
    const predictions: tf.Tensor4D[] = [];
    const truths: tf.Tensor4D[] = [];
    const masks: tf.Tensor4D[] = [];
    for (let start = 0; start < test.count; start += 64) {
      const indices = Array.from({ length: Math.min(64, test.count - start) }, (_, i) => start + i);
      const { image, normal, valid } = test.batch(indices);
      predictions.push(tf.tidy(() => inference(head, see(image))));
      image.dispose();
      truths.push(normal);
      masks.push(valid);
    }
    const [pred, truth, valid] = [tf.concat(predictions), tf.concat(truths), tf.concat(masks)];
    tf.dispose([...predictions, ...truths, ...masks]);
    const metrics = await normalMetrics(pred, truth, { valid });
    tf.dispose([pred, truth, valid]);
    return { metrics, losses };
  } finally {
    head.dispose();
    trunk.dispose();
  }
}

/** The decoder's output in inference mode (batch-norm moving statistics). */
function inference(head: ReturnType<typeof denseHead>, x: tf.Tensor4D): tf.Tensor4D {
  const maps = head.stages.predict(x) as tf.Tensor[];
  return head.decoder.predict(maps.slice(0, -1)) as tf.Tensor4D;
}
