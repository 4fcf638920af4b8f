import { ArgumentError, createKey, resizeBilinear, ShapeError, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type SceneFlowNet, sceneFlowNet } from './scene-flow-net';

const small = {
  inputShape: [32, 48, 3] as [number, number, number],
  levels: 3,
  finestLevel: 1,
  maxDisplacement: 1,
  widths: [4, 6, 8],
  estimatorWidths: [6],
};

function inputs(seed: number, batch = 2) {
  const frame1 = uniform(createKey(seed), [batch, 32, 48, 3]) as tf.Tensor4D;
  const frame2 = uniform(createKey(seed + 1), [batch, 32, 48, 3]) as tf.Tensor4D;
  // fx = fy = 40 px, principal point at the centre of the 48x32 image.
  const K = tf.tile(
    tf.tensor3d([
      [
        [40, 0, 23.5],
        [0, 40, 15.5],
        [0, 0, 1],
      ],
    ]),
    [batch, 1, 1],
  ) as tf.Tensor3D;
  return { frame1, frame2, K };
}

function zeroOutputs(net: SceneFlowNet): void {
  for (const { name, model } of net.models.slice(1)) {
    for (const weight of model.getLayer(`${name}_flow_conv`).weights)
      weight.write(tf.zerosLike(weight.read()));
  }
}

describe('sceneFlowNet', () => {
  it('predicts scene flow [B,h,w,3] and disparity [B,h,w,1] in (0, 0.3) at every output level', async () => {
    const net = sceneFlowNet({ ...small, key: createKey(0) });
    expect(net.outputLevels).toEqual([0, 1, 2, 3]);
    expect(net.models.map((m) => m.name)).toEqual([
      'scene_flow_net_pyramid',
      'scene_flow_net_level1',
      'scene_flow_net_level2',
      'scene_flow_net_level3',
    ]);
    // Estimator input: 9 cost-volume channels + features + (3 + 1 below the coarsest); output 4.
    const conv = (i: number, o: number) => 9 * i * o + o;
    expect(net.models.slice(1).map((m) => m.model.countParams())).toEqual([
      conv(9 + 4 + 4, 6) + conv(6, 4),
      conv(9 + 6 + 4, 6) + conv(6, 4),
      conv(9 + 8, 6) + conv(6, 4),
    ]);
    const { frame1, frame2, K } = inputs(1);
    const out = net.apply(frame1, frame2, { intrinsics: K, baseline: 0.5 });
    expect(out.map((e) => [e.sceneFlow.shape, e.disparity.shape])).toEqual([
      [
        [2, 32, 48, 3],
        [2, 32, 48, 1],
      ],
      [
        [2, 16, 24, 3],
        [2, 16, 24, 1],
      ],
      [
        [2, 8, 12, 3],
        [2, 8, 12, 1],
      ],
      [
        [2, 4, 6, 3],
        [2, 4, 6, 1],
      ],
    ]);
    for (const { disparity } of out) {
      expect((await disparity.min().data())[0]).toBeGreaterThan(0);
      expect((await disparity.max().data())[0]).toBeLessThan(0.3);
    }
    // Output 0 is the finest estimate upsampled, values unchanged (metric, width-relative).
    const up = resizeBilinear(out[1]!.sceneFlow, [32, 48]);
    await expectTensorClose(out[0]!.sceneFlow, up, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([frame1, frame2, K, up, ...out.flatMap((e) => [e.sceneFlow, e.disparity])]);
    net.dispose();
  });

  it('with zero output convolutions: zero scene flow and disparity 0.3 * sigmoid(0) = 0.15 everywhere', async () => {
    const net = sceneFlowNet({ ...small, key: createKey(2) });
    zeroOutputs(net);
    const { frame1, frame2, K } = inputs(3);
    const out = net.apply(frame1, frame2, { intrinsics: K, baseline: 1 });
    for (const { sceneFlow, disparity } of out) {
      expect((await tf.max(tf.abs(sceneFlow)).data())[0]).toBe(0);
      await expectTensorClose(disparity, tf.fill(disparity.shape, 0.15), { rtol: 1e-6, atol: 1e-7 });
    }
    tf.dispose([frame1, frame2, K, ...out.flatMap((e) => [e.sceneFlow, e.disparity])]);
    net.dispose();
  });

  it('the gradient reaches every weight, nothing leaks, and the key decides the weights', async () => {
    const net = sceneFlowNet({ ...small, key: createKey(4) });
    const { frame1, frame2, K } = inputs(5);
    await expectNoLeaks(() => net.apply(frame1, frame2, { intrinsics: K, baseline: 0.5, training: true }));
    const run = () =>
      tf.variableGrads(() => {
        const out = net.apply(frame1, frame2, { intrinsics: K, baseline: 0.5, training: true });
        const terms = out.flatMap((e) => [tf.mean(tf.square(e.sceneFlow)), tf.mean(e.disparity)]);
        return tf.addN(terms) as tf.Scalar;
      }, net.trainableVariables());
    const { value, grads } = run();
    expect(Object.keys(grads)).toHaveLength(net.trainableVariables().length);
    for (const [name, g] of Object.entries(grads)) {
      expect((await tf.sum(tf.abs(g)).data())[0], name).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads)]);
    await expectNoLeaks(() => run());
    const again = sceneFlowNet({ ...small, key: createKey(4) });
    const other = sceneFlowNet({ ...small, key: createKey(6) });
    const values = async (n: SceneFlowNet) =>
      Promise.all(n.trainableVariables().map(async (v) => Array.from(await v.data())));
    expect(await values(again)).toEqual(await values(net));
    expect((await values(other))[0]).not.toEqual((await values(net))[0]);
    tf.dispose([frame1, frame2, K]);
    for (const n of [net, again, other]) n.dispose();
  });

  it('throws typed errors for bad options, frames, intrinsics and baseline', () => {
    const key = createKey(0);
    expect(() => sceneFlowNet({ ...small, inputShape: [30, 48, 3], key })).toThrow(ArgumentError);
    expect(() => sceneFlowNet({ ...small, maxDisparity: 0, key })).toThrow(/sceneFlowNet.*maxDisparity/);
    const net = sceneFlowNet({ ...small, key });
    const { frame1, frame2, K } = inputs(7, 1);
    const K2 = tf.zeros([2, 3, 3]) as tf.Tensor3D;
    expect(() => net.apply(frame1, frame2, { intrinsics: K2, baseline: 1 })).toThrow(ShapeError);
    expect(() => net.apply(frame1, frame2, { intrinsics: K2, baseline: 1 })).toThrow(
      /sceneFlowNet.apply: 'intrinsics'/,
    );
    expect(() => net.apply(frame1, frame2, { intrinsics: K, baseline: 0 })).toThrow(
      /sceneFlowNet.apply.*baseline/,
    );
    expect(() => net.apply(frame1, frame2, undefined as never)).toThrow(/sceneFlowNet.apply.*intrinsics/);
    tf.dispose([frame1, frame2, K, K2]);
    net.dispose();
  });
});
