import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels';
import { numDataIds, seeded, useBackend } from './test-support';

const OURS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'Conv2DBackpropInput',
];

/** Parameter shapes of the small test convnet. */
const PARAMS: Record<string, number[]> = {
  conv1: [3, 3, 3, 8],
  gamma: [8],
  beta: [8],
  depthwise: [3, 3, 8, 2],
  conv2: [3, 3, 16, 12],
  conv3: [1, 1, 12, 12],
  dense: [48, 10],
  bias: [10],
  embedding: [7, 10],
};

/**
 * A small convnet touching every op whose gradient wasm lacked: conv2d (stride 1 'same', stride 2
 * 'valid', explicit padding), batch-norm statistics, relu, depthwise conv, max and average pooling,
 * dense, gather. Returns the losses of `steps` SGD steps.
 */
async function train(backend: 'cpu' | 'wasm', steps: number): Promise<number[]> {
  await useBackend(backend);
  const variables = Object.entries(PARAMS).map(([name, shape], i) =>
    tf.tidy(() => {
      const init = tf.tensor(
        seeded(
          shape.reduce((a, b) => a * b),
          100 + i,
        ),
        shape,
      );
      const scaled = name === 'gamma' ? tf.add(tf.mul(init, 0.1), 1) : tf.mul(init, 0.5);
      return tf.variable(scaled, true, `${backend}-${name}`);
    }),
  );
  const v = Object.fromEntries(Object.keys(PARAMS).map((name, i) => [name, variables[i] as tf.Variable]));
  const images = tf.tensor4d(seeded(4 * 12 * 12 * 3, 1), [4, 12, 12, 3]);
  const labels = tf.oneHot(tf.tensor1d([1, 4, 9, 0], 'int32'), 10);
  const tokens = tf.tensor1d([3, 0, 3, 6], 'int32');
  const optimizer = tf.train.sgd(0.05);
  const losses: number[] = [];
  const tensorsBefore = tf.memory().numTensors;
  for (let step = 0; step < steps; step++) {
    const idsBefore = numDataIds();
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        let h: tf.Tensor = tf.conv2d(images, v.conv1 as tf.Tensor4D, 1, 'same'); // [4, 12, 12, 8]
        const { mean, variance } = tf.moments(h, [0, 1, 2]);
        h = tf.relu(
          tf.batchNorm(h as tf.Tensor4D, mean, variance, v.beta as tf.Tensor1D, v.gamma as tf.Tensor1D, 1e-3),
        );
        h = tf.relu(tf.depthwiseConv2d(h as tf.Tensor4D, v.depthwise as tf.Tensor4D, 1, 'same')); // [4, 12, 12, 16]
        h = tf.maxPool(h as tf.Tensor4D, 2, 1, 'same');
        h = tf.relu(tf.conv2d(h as tf.Tensor4D, v.conv2 as tf.Tensor4D, 2, 'valid')); // [4, 5, 5, 12]
        h = tf.conv2d(h as tf.Tensor4D, v.conv3 as tf.Tensor4D, 1, [
          [0, 0],
          [0, 1],
          [1, 0],
          [0, 0],
        ]); // [4, 6, 6, 12]
        h = tf.avgPool(h as tf.Tensor4D, 3, 3, 'valid'); // [4, 2, 2, 12]
        const flat = tf.reshape(h, [4, 48]);
        const logits = tf.add(
          tf.add(tf.matMul(flat, v.dense as tf.Tensor2D), v.bias as tf.Tensor1D),
          tf.gather(v.embedding as tf.Tensor2D, tokens),
        );
        return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
      }),
    );
    losses.push((await value.data())[0] ?? Number.NaN);
    optimizer.applyGradients(grads);
    value.dispose();
    tf.dispose(Object.values(grads));
    expect(numDataIds()).toBe(idsBefore);
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  optimizer.dispose();
  tf.dispose([...variables, images, labels, tokens]);
  return losses;
}

describe('registerWasmTrainingKernels', () => {
  it('registers the missing kernels and the faster Conv2DBackpropInput, idempotently', () => {
    const first = registerWasmTrainingKernels();
    expect([...first].sort()).toEqual([...OURS].sort());
    expect(registerWasmTrainingKernels()).toEqual(first);
    for (const name of OURS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  it('trains a small convnet on wasm with the same losses as on cpu', async () => {
    registerWasmTrainingKernels();
    const cpu = await train('cpu', 3);
    const wasm = await train('wasm', 3);
    expect(cpu[2]).toBeLessThan(cpu[0] ?? 0);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs((wasm[i] ?? Number.NaN) - (cpu[i] ?? 0))).toBeLessThanOrEqual(
        1e-4 * Math.abs(cpu[i] ?? 0),
      );
    }
  });
});
