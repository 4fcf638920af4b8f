import { ArgumentError, createKey, resizeBilinear, ShapeError, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import { flowWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type FlowNet, flowNet } from './flow-net';

const small = {
  inputShape: [32, 32, 3] as [number, number, number],
  levels: 3,
  finestLevel: 1,
  maxDisplacement: 2,
  widths: [4, 6, 8],
  estimatorWidths: [8, 4],
};

function frames(seed: number, batch = 2): [tf.Tensor4D, tf.Tensor4D] {
  return [
    uniform(createKey(seed), [batch, 32, 32, 3]) as tf.Tensor4D,
    uniform(createKey(seed + 1), [batch, 32, 32, 3]) as tf.Tensor4D,
  ];
}

/** Sets the last (flow) conv of the estimators of the given levels to zero: their residual is 0. */
function zeroResiduals(net: FlowNet, levels: number[]): void {
  for (const level of levels) {
    const model = net.models.find((m) => m.name === `flow_net_level${level}`)!.model;
    const layer = model.getLayer(`flow_net_level${level}_flow_conv`);
    for (const w of layer.weights) w.write(tf.zerosLike(w.read()));
  }
}

describe('flowNet', () => {
  it('predicts flows at L + 1 scales, finest first, with the parameter count of its formula', () => {
    const net = flowNet({ ...small, key: createKey(0) });
    expect(net.models.map((m) => m.name)).toEqual([
      'flow_net_pyramid',
      'flow_net_level1',
      'flow_net_level2',
      'flow_net_level3',
    ]);
    const conv = (i: number, o: number) => 9 * i * o + o;
    const pyramid = conv(3, 4) + conv(4, 4) + conv(4, 6) + conv(6, 6) + conv(6, 8) + conv(8, 8);
    const estimator = (inChannels: number) => conv(inChannels, 8) + conv(8, 4) + conv(4, 2);
    expect(net.models[0]!.model.countParams()).toBe(pyramid);
    // (2d+1)^2 = 25 cost-volume channels, the level's features, and the upsampled flow below the coarsest.
    expect(net.models.slice(1).map((m) => m.model.countParams())).toEqual([
      estimator(25 + 4 + 2),
      estimator(25 + 6 + 2),
      estimator(25 + 8),
    ]);
    const [f1, f2] = frames(1);
    const flows = net.apply(f1, f2);
    expect(flows.map((f) => f.shape)).toEqual([
      [2, 32, 32, 2],
      [2, 16, 16, 2],
      [2, 8, 8, 2],
      [2, 4, 4, 2],
    ]);
    const variables = net.trainableVariables();
    expect(variables.reduce((n, v) => n + v.size, 0)).toBe(
      net.models.reduce((n, m) => n + m.model.countParams(), 0),
    );
    tf.dispose([f1, f2, ...flows]);
    net.dispose();
  });

  it('estimates from finestLevel on (default 2, as PWC-Net) and upsamples the finest estimate to the input', async () => {
    const net = flowNet({
      inputShape: [32, 32, 3],
      levels: 3,
      maxDisplacement: 1,
      widths: [4, 4, 4],
      estimatorWidths: [4],
      key: createKey(12),
    });
    expect(net.finestLevel).toBe(2);
    expect(net.outputLevels).toEqual([0, 2, 3]);
    expect(net.models.map((m) => m.name)).toEqual(['flow_net_pyramid', 'flow_net_level2', 'flow_net_level3']);
    const [f1, f2] = frames(13);
    const [full, l2, l3] = net.apply(f1, f2) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    expect([full.shape, l2.shape, l3.shape]).toEqual([
      [2, 32, 32, 2],
      [2, 8, 8, 2],
      [2, 4, 4, 2],
    ]);
    const expected = tf.mul(resizeBilinear(l2, [32, 32]), 4);
    await expectTensorClose(full, expected, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([f1, f2, full, l2, l3, expected]);
    net.dispose();
  });

  it('warping by zero flow is the identity, and zero residuals give zero flow at every scale', async () => {
    const f = uniform(createKey(2), [1, 8, 8, 3]) as tf.Tensor4D;
    const zero = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    const warped = flowWarp(f, zero);
    await expectTensorClose(warped, f, { rtol: 0, atol: 1e-7 });
    const net = flowNet({ ...small, key: createKey(3) });
    zeroResiduals(net, [1, 2, 3]);
    const [f1, f2] = frames(4);
    const flows = net.apply(f1, f2);
    for (const flow of flows) expect((await tf.max(tf.abs(flow)).data())[0]).toBe(0);
    tf.dispose([f, zero, warped, f1, f2, ...flows]);
    net.dispose();
  });

  it('measures flow in pixels of each level: with only the coarsest residual, each finer flow is twice the upsampled coarser one', async () => {
    const net = flowNet({ ...small, key: createKey(5) });
    zeroResiduals(net, [1, 2]);
    const [f1, f2] = frames(6);
    const [full, l1, l2, l3] = net.apply(f1, f2) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    expect((await tf.max(tf.abs(l3)).data())[0]).toBeGreaterThan(0);
    const up = (x: tf.Tensor4D, size: number) => tf.mul(resizeBilinear(x, [size, size]), 2) as tf.Tensor4D;
    const e2 = up(l3, 8);
    const e1 = up(e2, 16);
    const e0 = up(e1, 32);
    await expectTensorClose(l2, e2, { rtol: 1e-5, atol: 1e-6 });
    await expectTensorClose(l1, e1, { rtol: 1e-5, atol: 1e-6 });
    await expectTensorClose(full, e0, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([f1, f2, full, l1, l2, l3, e2, e1, e0]);
    net.dispose();
  });

  it('the gradient of a loss on all scales reaches every weight, and nothing leaks', async () => {
    const net = flowNet({ ...small, key: createKey(7) });
    const [f1, f2] = frames(8);
    await expectNoLeaks(() => net.apply(f1, f2, { training: true }));
    const run = () =>
      tf.variableGrads(() => {
        const flows = net.apply(f1, f2, { training: true });
        return tf.addN(flows.map((f) => tf.mean(tf.square(tf.sub(f, 0.5))))) as tf.Scalar;
      }, net.trainableVariables());
    const { value, grads } = run();
    expect(Object.keys(grads)).toHaveLength(net.trainableVariables().length);
    for (const [name, g] of Object.entries(grads)) {
      expect((await tf.sum(tf.abs(g)).data())[0], name).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads)]);
    await expectNoLeaks(() => run());
    tf.dispose([f1, f2]);
    net.dispose();
  });

  it('is deterministic from its key', async () => {
    const [f1, f2] = frames(9, 1);
    const outputs = async (seed: number) => {
      const net = flowNet({ ...small, key: createKey(seed) });
      const flows = net.apply(f1, f2);
      const values = Array.from(await flows[0]!.data());
      tf.dispose(flows);
      net.dispose();
      return values;
    };
    const [a, b, c] = [await outputs(10), await outputs(10), await outputs(11)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    tf.dispose([f1, f2]);
  });

  it('centres each pair on its channel means: a brightness offset shared by both frames changes no flow', async () => {
    const net = flowNet({ ...small, key: createKey(12) });
    const [f1, f2] = frames(13);
    // A different offset per example and channel, the same for both frames of a pair.
    const offset = tf.tensor4d([0.3, -0.2, 0.1, -0.25, 0.15, 0.4], [2, 1, 1, 3]);
    const plain = net.apply(f1, f2);
    const shifted = net.apply(tf.add(f1, offset) as tf.Tensor4D, tf.add(f2, offset) as tf.Tensor4D);
    for (let i = 0; i < plain.length; i++) await expectTensorClose(shifted[i]!, plain[i]!, { atol: 1e-4 });
    // An offset on one frame only is a change of the pair, which the flows do see.
    const one = net.apply(tf.add(f1, offset) as tf.Tensor4D, f2);
    expect(tf.max(tf.abs(tf.sub(one[0]!, plain[0]!))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([f1, f2, offset, ...plain, ...shifted, ...one]);
    net.dispose();
  });

  it('throws typed errors for bad options and frames', () => {
    const key = createKey(0);
    expect(() => flowNet({ ...small, inputShape: [36, 32, 3], key })).toThrow(ArgumentError);
    expect(() => flowNet({ ...small, inputShape: [36, 32, 3], key })).toThrow(
      /flowNet: 'inputShape' is \[36,32,3\] but H and W must be divisible by 2\^3 = 8/,
    );
    expect(() => flowNet({ ...small, levels: 1, key })).toThrow(/flowNet.*levels/);
    expect(() => flowNet({ ...small, finestLevel: 4, key })).toThrow(/flowNet.*finestLevel/);
    expect(() => flowNet({ ...small, widths: [4, 4], key })).toThrow(/flowNet.*widths/);
    expect(() => flowNet({ ...small, key: undefined as never })).toThrow(/flowNet/);
    const net = flowNet({ ...small, key });
    const a = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const b = tf.zeros([2, 32, 32, 3]) as tf.Tensor4D;
    const c = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
    expect(() => net.apply(a, b)).toThrow(ShapeError);
    expect(() => net.apply(a, c)).toThrow(/flowNet.apply: 'frame2'/);
    tf.dispose([a, b, c]);
    net.dispose();
  });
});
