import { createKey, normal, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { BatchNorm } from './batch-norm';
import { registerLayers } from './register-layers';

/** Per-channel mean and biased variance of a flat [N, C] array, in float64. */
function channelStats(values: Float32Array, channels: number): { mean: number[]; variance: number[] } {
  const n = values.length / channels;
  const mean = new Array<number>(channels).fill(0);
  const variance = new Array<number>(channels).fill(0);
  for (let i = 0; i < values.length; i++) mean[i % channels]! += values[i]! / n;
  for (let i = 0; i < values.length; i++)
    variance[i % channels]! += (values[i]! - mean[i % channels]!) ** 2 / n;
  return { mean, variance };
}

/** Frees a layer's variables (a layer applied only to concrete tensors cannot be `dispose`d). */
function release(layer: BatchNorm): void {
  for (const w of layer.weights) w.read().dispose();
}

function built(channels: number, options: ConstructorParameters<typeof BatchNorm>[0] = {}): BatchNorm {
  const layer = new BatchNorm(options);
  layer.build([null, channels]);
  return layer;
}

describe('BatchNorm', () => {
  it('normalises with batch statistics in training mode and updates the moving statistics', async () => {
    const x = normal(createKey(1), [4, 3, 3, 2], { mean: 2, std: 3 });
    const layer = built(2, { momentum: 0.8, epsilon: 1e-5 });
    const values = (await x.data()) as Float32Array;
    const { mean, variance } = channelStats(values, 2);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const expected = Float32Array.from(
      values,
      (v, i) => (v - mean[i % 2]!) / Math.sqrt(variance[i % 2]! + 1e-5),
    );
    await expectTensorClose(y, expected, { rtol: 1e-4, atol: 1e-4 });
    const n = 4 * 3 * 3;
    const [, , movingMean, movingVariance] = layer.weights.map((w) => w.read());
    await expectTensorClose(
      movingMean!,
      mean.map((m) => 0.2 * m),
    );
    await expectTensorClose(
      movingVariance!,
      variance.map((v) => 0.8 + 0.2 * v * (n / (n - 1))),
    );
    tf.dispose([x, y]);
    release(layer);
  });

  it('uses the moving statistics in inference mode: y = gamma (x - mu) / sqrt(var + eps) + beta', async () => {
    const layer = built(3, { epsilon: 1e-3 });
    const [gamma, beta, movingMean, movingVariance] = layer.weights;
    gamma!.write(tf.tensor1d([1, 2, 3]));
    beta!.write(tf.tensor1d([0.5, 0, -0.5]));
    movingMean!.write(tf.tensor1d([1, -1, 0]));
    movingVariance!.write(tf.tensor1d([4, 1, 0.25]));
    const x = tf.tensor2d([[3, 1, 1]]);
    const y = layer.apply(x) as tf.Tensor;
    await expectTensorClose(y, [
      [0.5 + (1 * 2) / Math.sqrt(4.001), (2 * 2) / Math.sqrt(1.001), -0.5 + (3 * 1) / Math.sqrt(0.251)],
    ]);
    tf.dispose([x, y]);
    release(layer);
  });

  it('has the gradient of the composite of tfjs ops (moments + batchNorm) and of central differences', async () => {
    const layer = built(3);
    const [g, b] = layer.trainableWeights;
    g!.write(tf.tensor1d([0.5, 1.5, -1]));
    b!.write(tf.tensor1d([0.1, -0.2, 0.3]));
    const x = normal(createKey(2), [2, 2, 2, 3]);
    const weightsOut = uniform(createKey(3), [2, 2, 2, 3], { min: -1, max: 1 });
    const ours = (xs: tf.Tensor): tf.Tensor =>
      tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, weightsOut);
    const reference = (xs: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(xs, [0, 1, 2]);
      return tf.mul(tf.batchNorm(xs, mean, variance, b!.read(), g!.read(), 1e-5), weightsOut);
    };
    const vars = [g!.read() as tf.Variable, b!.read() as tf.Variable];
    const gradsOf = (f: (xs: tf.Tensor) => tf.Tensor) =>
      tf.tidy(() => {
        const dx = tf.grad((xs: tf.Tensor) => tf.sum(f(xs)))(x);
        const { grads } = tf.variableGrads(() => tf.sum(f(x)) as tf.Scalar, vars);
        return [dx, grads[vars[0]!.name]!, grads[vars[1]!.name]!];
      });
    const mine = gradsOf(ours);
    const theirs = gradsOf(reference);
    for (let i = 0; i < 3; i++) await expectTensorClose(mine[i]!, theirs[i]!, { rtol: 1e-3, atol: 1e-4 });
    await gradCheck((xs) => ours(xs!), [x], { eps: 1e-2, rtol: 2e-2, atol: 2e-3 });
    tf.dispose([x, weightsOut, ...mine, ...theirs]);
    release(layer);
  });

  it('leaks no tensors in a training step', async () => {
    const layer = built(4);
    const x = normal(createKey(4), [8, 4]);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    await expectNoLeaks(() =>
      tf.tidy(() =>
        tf.variableGrads(() => tf.sum(tf.square(layer.apply(x, { training: true }) as tf.Tensor)), vars),
      ),
    );
    await expectNoLeaks(() => layer.apply(x));
    x.dispose();
    release(layer);
  });

  it('serialises through toJSON and modelFromJSON once registered', async () => {
    registerLayers();
    const input = tfl.input({ shape: [3] });
    const model = tfl.model({
      inputs: input,
      outputs: new BatchNorm({ momentum: 0.7, epsilon: 1e-4 }).apply(input) as tfl.SymbolicTensor,
    });
    const copy = await tfl.models.modelFromJSON({
      modelTopology: model.toJSON(null, false),
    } as tfl.ModelAndWeightsConfig);
    const layer = copy.layers[1] as BatchNorm;
    expect(layer).toBeInstanceOf(BatchNorm);
    expect([layer.momentum, layer.epsilon]).toEqual([0.7, 1e-4]);
    model.dispose();
    copy.dispose();
  });
});
