import { createKey, normal, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { smallConvNet } from '../encoders/small-conv-net';
import { projectionHead } from '../heads/projection-head';
import { BatchNorm } from '../layers/batch-norm';
import { trainableVariables } from './trainable-variables';

/** A one-layer model: BN (ours or tfjs-layers' stock layer) on [B, 3]. */
function bnModel(stock: boolean): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  const layer = stock ? tfl.layers.batchNormalization({ momentum: 0.5 }) : new BatchNorm({ momentum: 0.5 });
  return tfl.model({ inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor });
}

const movingMean = (model: tfl.LayersModel) =>
  model.weights.find((w) => w.originalName.endsWith('moving_mean'))!.read();

/** Two seeded classes of 8x8 images: horizontal stripes (0) or vertical stripes (1), random phase and noise. */
function stripes(batch: number, size: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => {
    const labels = tf.cast(tf.greater(uniform(createKey(20), [batch, 1, 1, 1]), 0.5), 'float32');
    const coords = tf.range(0, size, 1, 'float32');
    const phase = tf.mul(uniform(createKey(21), [batch, 1, 1, 1]), Math.PI);
    const rows = tf.sin(tf.add(tf.mul(tf.reshape(coords, [1, size, 1, 1]), 1.6), phase));
    const cols = tf.sin(tf.add(tf.mul(tf.reshape(coords, [1, 1, size, 1]), 1.6), phase));
    const image = tf.add(tf.mul(labels, cols), tf.mul(tf.sub(1, labels), rows)); // [B, S, S, 1] (broadcast)
    const noise = normal(createKey(22), [batch, size, size, 1], { std: 0.3 });
    return {
      x: tf.add(tf.add(tf.mul(image, 0.5), 0.5), noise),
      y: tf.oneHot(tf.cast(tf.reshape(labels, [batch]), 'int32'), 2),
    };
  });
}

describe('trainableVariables and training with model.apply(x, { training: true })', () => {
  it('lists the variables of the trainable weights of every model, in order', () => {
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [4], key: createKey(0) });
    const head = projectionHead({ inputDim: 4, hiddenDim: 4, outputDim: 2, key: createKey(1) });
    const vars = trainableVariables(encoder, head);
    expect(vars.length).toBe(encoder.trainableWeights.length + head.trainableWeights.length);
    expect(vars[0]).toBe(encoder.trainableWeights[0]!.read());
    expect(vars.every((v) => v.trainable)).toBe(true);
    expect(() => trainableVariables(encoder, {} as never)).toThrow(
      "trainableVariables: 'models[1]' is [object Object] but expected a tf.LayersModel.",
    );
    encoder.dispose();
    head.dispose();
  });

  it('updates the BN moving statistics inside tf.variableGrads and optimizer.minimize (stock tfjs-layers BN and ours)', async () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [3, 6, 9],
    ]); // batch mean [2, 4, 6]
    for (const stock of [true, false]) {
      const model = bnModel(stock);
      const loss = () => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar;
      const { value, grads } = tf.variableGrads(loss, trainableVariables(model));
      await expectTensorClose(movingMean(model), [1, 2, 3]); // 0.5 * 0 + 0.5 * [2, 4, 6]
      const optimizer = tf.train.sgd(0.1);
      tf.dispose(optimizer.minimize(loss, true, trainableVariables(model)) as tf.Scalar);
      await expectTensorClose(movingMean(model), [1.5, 3, 4.5]);
      // Inference mode (predict, or apply without training) leaves them alone.
      tf.dispose([model.predict(x) as tf.Tensor, model.apply(x) as tf.Tensor]);
      await expectTensorClose(movingMean(model), [1.5, 3, 4.5]);
      tf.dispose([value, ...Object.values(grads)]);
      optimizer.dispose();
      model.dispose();
    }
    x.dispose();
  });

  it('trains smallConvNet on a seeded two-class task: loss falls 5x in 40 Adam steps, no tensors leak', async () => {
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [8, 16], key: createKey(0) });
    const classifier = projectionHead({ inputDim: 16, outputDim: 2, layers: 1, key: createKey(1) });
    const { x, y } = stripes(16, 8);
    const optimizer = tf.train.adam(0.01);
    const varList = trainableVariables(encoder, classifier);
    const step = (): tf.Scalar =>
      optimizer.minimize(
        () => {
          const features = encoder.apply(x, { training: true }) as tf.Tensor;
          const logits = classifier.apply(features, { training: true }) as tf.Tensor;
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        },
        true,
        varList,
      )!;
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const cost = step();
      losses.push((await cost.data())[0]!);
      cost.dispose();
      if (i === 2) {
        // From here on the optimizer's slots exist; a step must leave the tensor count unchanged.
        await expectNoLeaks(step);
      }
    }
    expect(losses[0]).toBeGreaterThan(0.3);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! / 5);
    tf.dispose([x, y]);
    optimizer.dispose();
    encoder.dispose();
    classifier.dispose();
  });
});
