import type { Key } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { classificationLoss } from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { classifierHead } from '../methods/pretext/pretext-options';
import { featureDim } from '../methods/representation/backbone';
import { fineTune } from './fine-tune';

/** Options of {@link fineTuneClassifier}. */
export interface FineTuneClassifierOptions {
  /** The encoder `[B, H, W, C] -> [B, D]`, trained in place (pass a fresh copy per run). */
  readonly encoder: tfl.LayersModel;
  /** What the encoder sees of the data's images (a method's `encoderInput`); default the images. */
  readonly encoderInput?: ((images: tf.Tensor4D) => tf.Tensor4D) | undefined;
  /** Labelled train and test images. */
  readonly train: Dataset;
  readonly test: Dataset;
  /** The train examples whose labels the run may use. */
  readonly labelled: readonly number[];
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate?: number;
  /** Draws the head's weights and the data order. */
  readonly key: Key;
}

/** What {@link fineTuneClassifier} measured. */
export interface FineTuneClassifierResult {
  /** Top-1 accuracy on the whole test split, in [0, 1]. */
  readonly testAccuracy: number;
  /** The training loss of each step. */
  readonly losses: readonly number[];
}

/**
 * Fine-tunes an encoder with a linear softmax head on a few labels (every weight trains), then scores
 * top-1 on the test split: the semi-supervised protocol of the denoising-autoencoder and SimCLR papers
 * (1% and 10% of the labels). The head is drawn from `key`; the encoder keeps its weights, pretrained or
 * not, so the same call with a random-init encoder is the from-scratch baseline.
 */
export async function fineTuneClassifier(
  options: FineTuneClassifierOptions,
): Promise<FineTuneClassifierResult> {
  const { encoder, encoderInput, train, test, labelled, steps, batchSize, learningRate, key } = options;
  const classes = train.numClasses!;
  const head = classifierHead({
    inputDim: featureDim(encoder),
    hidden: [],
    classes,
    key,
    name: 'fine_tune_head',
  });
  const labels = train.labels!;
  const see = (images: tf.Tensor4D): tf.Tensor4D => (encoderInput ? encoderInput(images) : images);
  try {
    const losses = await fineTune({
      models: [encoder, head],
      data: {
        size: labelled.length,
        batch: (indices) => {
          const chosen = indices.map((i) => labelled[i]!);
          return tf.tidy(() => ({
            images: see(train.images(chosen)),
            labels: tf.tensor1d(
              chosen.map((i) => labels[i]!),
              'int32',
            ),
          }));
        },
      },
      loss: ({ images, labels: y }) => {
        const logits = head.apply(encoder.apply(images, { training: true }), {
          training: true,
        }) as tf.Tensor2D;
        return { loss: classificationLoss(logits, y) as tf.Scalar };
      },
      steps,
      batchSize,
      ...(learningRate === undefined ? {} : { learningRate }),
      key,
    });
    let correct = 0;
    for (let start = 0; start < test.size; start += 500) {
      const indices = Array.from({ length: Math.min(500, test.size - start) }, (_, i) => start + i);
      const predicted = tf.tidy(() =>
        tf.argMax(head.predict(encoder.predict(see(test.images(indices))) as tf.Tensor) as tf.Tensor2D, 1),
      );
      const values = await predicted.data();
      predicted.dispose();
      values.forEach((p, i) => {
        if (p === test.labels![indices[i]!]) correct++;
      });
    }
    return { testAccuracy: correct / test.size, losses };
  } finally {
    head.dispose();
  }
}
