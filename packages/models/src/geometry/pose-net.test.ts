import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, createKey, initBackend, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, testBackend } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../io/model-folder';
import { trainableVariables } from '../training/trainable-variables';
import { poseNet } from './pose-net';

const TINY = { inputShape: [16, 32, 3] as const, widths: [4, 8, 8] };

/** The formula of poseNet's TSDoc. */
function expectedParams(
  cin: number,
  widths: number[],
  kernels: number[],
  sources: number,
  bn: boolean,
): number {
  let total = 0;
  widths.forEach((w, i) => {
    const c = i === 0 ? cin : widths[i - 1]!;
    total += kernels[i]! ** 2 * c * w + (bn ? 4 : 1) * w;
  });
  return total + widths[widths.length - 1]! * 6 * sources + 6 * sources;
}

async function weightValues(model: tfl.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => (await w.read().data()) as Float32Array));
}

describe('poseNet', () => {
  it('maps [B, H, W, C * frames] to [B, frames - 1, 6] with the parameter count of its formula', () => {
    const key = createKey(0);
    const net = poseNet({ ...TINY, frames: 3, key });
    expect(net.inputs[0]!.shape).toEqual([null, 16, 32, 9]);
    expect(net.outputs[0]!.shape).toEqual([null, 2, 6]);
    expect(net.countParams()).toBe(expectedParams(9, [4, 8, 8], [7, 5, 3], 2, false));
    const x = uniform(createKey(1), [2, 16, 32, 9]);
    const y = net.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 2, 6]);
    tf.dispose([x, y]);
    net.dispose();
    // hand count: one 3x3 stage 2 -> 2 channels (36 + 2 biases), 1x1 to 6 (12 + 6) = 56
    const smallest = poseNet({ inputShape: [4, 4, 1], frames: 2, widths: [2], kernelSizes: [3], key });
    expect(smallest.countParams()).toBe(56);
    smallest.dispose();
    const bn = poseNet({ ...TINY, frames: 5, kernelSizes: [3, 3, 3], batchNorm: true, key });
    expect(bn.outputs[0]!.shape).toEqual([null, 4, 6]);
    expect(bn.countParams()).toBe(expectedParams(15, [4, 8, 8], [3, 3, 3], 4, true));
    bn.dispose();
    const defaults = poseNet({ inputShape: [96, 320, 3], key });
    expect(defaults.countParams()).toBe(
      expectedParams(9, [16, 32, 64, 128, 256, 256, 256], [7, 5, 3, 3, 3, 3, 3], 2, false),
    );
    defaults.dispose();
  });

  it('scales the averaged 1x1-conv output by outputScale (0.01 by default); row j is channels 6j..6j+5', async () => {
    const key = createKey(2);
    const x = uniform(createKey(3), [2, 16, 32, 9]);
    const scaled = poseNet({ ...TINY, key });
    const raw = poseNet({ ...TINY, outputScale: 1, key });
    const a = scaled.predict(x) as tf.Tensor;
    const b = raw.predict(x) as tf.Tensor;
    await expectTensorClose(a, tf.mul(b, 0.01));
    // The same numbers by hand: global mean of the 1x1 conv over the last stage's features.
    const last = scaled.getLayer('pose_net_pred_conv');
    const features = tf.tidy(() => {
      const sub = (scaled.layers.slice(1, scaled.layers.indexOf(last)) as tfl.layers.Layer[]).reduce(
        (h, layer) => layer.apply(h) as tf.Tensor,
        x as tf.Tensor,
      );
      const [kernel, bias] = last.getWeights();
      const conv = tf.add(tf.conv2d(sub as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'), bias!);
      return tf.reshape(tf.mul(tf.mean(conv, [1, 2]), 0.01), [2, 2, 6]);
    });
    await expectTensorClose(a, features);
    tf.dispose([x, a, b, features]);
    scaled.dispose();
    raw.dispose();
  });

  it('draws its weights from the key (same on cpu and wasm) and round-trips through saveModel/loadModel', async () => {
    const build = () => poseNet({ ...TINY, batchNorm: true, key: createKey(4) });
    const a = build();
    const wa = await weightValues(a);
    expect(await weightValues(build())).toEqual(wa);
    const here = testBackend();
    await initBackend({ prefer: here === 'cpu' ? 'wasm' : 'cpu' });
    try {
      const other = build();
      expect(await weightValues(other)).toEqual(wa);
      other.dispose();
    } finally {
      await initBackend({ prefer: here });
    }
    const x = uniform(createKey(5), [2, 16, 32, 9]);
    tf.tidy(() => {
      a.apply(x, { training: true });
    });
    const root = await mkdtemp(join(tmpdir(), 'genoise-pose-net-'));
    try {
      const manifest = await saveModel(a, root);
      expect(manifest.architecture).toMatchObject({
        name: 'poseNet',
        options: { frames: 3, outputScale: 0.01 },
      });
      const { model } = await loadModel(root);
      const [ya, yb] = [a.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
      await expectTensorClose(yb, ya, { rtol: 0, atol: 0 });
      tf.dispose([ya, yb]);
      model.dispose();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    x.dispose();
    a.dispose();
  });

  it('trains: one SGD step has finite gradients and lowers the loss, without leaks', async () => {
    const net = poseNet({ ...TINY, key: createKey(6) });
    const x = uniform(createKey(7), [2, 16, 32, 9]);
    const target = tf.fill([2, 2, 6], 0.05);
    const vars = trainableVariables(net);
    const loss = () =>
      tf.mean(tf.square(tf.sub(net.apply(x, { training: true }) as tf.Tensor, target))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, vars);
    const before = (await value.data())[0]!;
    for (const g of Object.values(grads)) {
      expect((await g.data()).every(Number.isFinite)).toBe(true);
    }
    tf.tidy(() => tf.train.sgd(10).applyGradients(grads));
    const after = tf.tidy(loss);
    expect((await after.data())[0]!).toBeLessThan(before);
    tf.dispose([value, after, ...Object.values(grads)]);
    await expectNoLeaks(() => net.predict(x));
    await expectNoLeaks(() => tf.tidy(() => net.apply(x, { training: true }) as tf.Tensor));
    tf.dispose([x, target]);
    net.dispose();
  });

  it('names the option at fault', () => {
    const key = createKey(0);
    expect(() => poseNet({ ...TINY, frames: 1, key })).toThrow(
      "poseNet: 'frames' is 1 but expected an integer >= 2 (the target and at least one source).",
    );
    expect(() => poseNet({ ...TINY, kernelSizes: [3, 3], key })).toThrow(
      "poseNet: 'kernelSizes' is [3,3] but expected 3 positive integers.",
    );
    expect(() => poseNet({ ...TINY, outputScale: Number.NaN, key })).toThrow(
      "poseNet: 'outputScale' is NaN but expected a finite number.",
    );
    expect(() => poseNet({ inputShape: [16, 32], key } as never)).toThrow(ArgumentError);
    expect(() => poseNet({ ...TINY } as never)).toThrow("poseNet: 'key' is undefined");
  });
});
