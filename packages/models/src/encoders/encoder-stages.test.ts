import { ArgumentError, createKey } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { trainableVariables } from '../training/trainable-variables';
import { encoderStages } from './encoder-stages';
import { resnet18 } from './resnet18';
import { smallConvNet } from './small-conv-net';
import { withInputShape } from './with-input-shape';

const shapes = (m: tfl.LayersModel) => m.outputs.map((o) => o.shape);

describe('encoderStages', () => {
  it('taps smallConvNet after each stage for every downsampling mode, then the pooled feature', () => {
    // 12 -> 6 -> 3 -> 2 ('same' padding rounds up).
    for (const downsampling of ['maxPool', 'stride', 'strideOnly'] as const) {
      const encoder = smallConvNet({
        inputShape: [12, 12, 1],
        widths: [4, 6, 8],
        downsampling,
        key: createKey(1),
      });
      const stages = encoderStages(encoder);
      expect(stages.outputNames).toEqual(['stage1', 'stage2', 'stage3', 'pooled']);
      expect(shapes(stages)).toEqual([
        [null, 6, 6, 4],
        [null, 3, 3, 6],
        [null, 2, 2, 8],
        [null, 8],
      ]);
      expect(stages.countParams()).toBe(encoder.countParams());
      stages.dispose();
      encoder.dispose();
    }
  });

  it('taps the four stages of resnet18 (strides 1, 2, 2, 2 after the stem)', () => {
    const encoder = resnet18({ inputShape: [16, 16, 3], widthMultiplier: 1 / 16, key: createKey(2) });
    const stages = encoderStages(encoder);
    expect(stages.outputNames).toEqual(['stage1', 'stage2', 'stage3', 'stage4', 'pooled']);
    expect(shapes(stages)).toEqual([
      [null, 16, 16, 4],
      [null, 8, 8, 8],
      [null, 4, 4, 16],
      [null, 2, 2, 32],
      [null, 32],
    ]);
    stages.dispose();
    encoder.dispose();
  });

  it('shares weights with the encoder: same pooled output, last stage pools to it, training one moves both', async () => {
    const encoder = smallConvNet({ inputShape: [8, 8, 2], widths: [3, 5], key: createKey(3) });
    const stages = encoderStages(encoder);
    const x = tf.randomUniform([2, 8, 8, 2], 0, 1, 'float32', 4);
    const check = async () => {
      const pooled = encoder.predict(x) as tf.Tensor;
      const outs = stages.predict(x) as tf.Tensor[];
      await expectTensorClose(outs[2]!, pooled, { rtol: 0, atol: 0 });
      const manual = tf.mean(outs[1]!, [1, 2]);
      await expectTensorClose(manual, pooled, { rtol: 1e-5, atol: 1e-6 });
      tf.dispose([pooled, ...outs, manual]);
    };
    await check();
    expect(trainableVariables(stages).map((v) => v.name)).toEqual(
      trainableVariables(encoder).map((v) => v.name),
    );
    // One SGD step through the view's first stage changes the encoder's weights.
    const before = await encoder.weights[0]!.read().data();
    const optimizer = tf.train.sgd(0.5);
    optimizer.minimize(
      () => tf.mean((stages.apply(x, { training: true }) as tf.Tensor[])[0]!) as tf.Scalar,
      false,
      trainableVariables(stages),
    );
    const after = await encoder.weights[0]!.read().data();
    expect(Array.from(after)).not.toEqual(Array.from(before));
    await check();
    optimizer.dispose();
    x.dispose();
    stages.dispose();
    encoder.dispose();
  });

  it('does not leak: predict, and disposing the view keeps the encoder usable; both disposed, all freed', async () => {
    const start = tf.memory().numTensors;
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [3, 4], key: createKey(5) });
    const stages = encoderStages(encoder);
    const x = tf.ones([1, 8, 8, 1]);
    await expectNoLeaks(() => stages.predict(x));
    await expectNoLeaks(() => tf.tidy(() => stages.apply(x, { training: true }) as tf.Tensor[]));
    stages.dispose();
    const y = encoder.predict(x) as tf.Tensor; // still alive
    expect(y.shape).toEqual([1, 4]);
    tf.dispose([x, y]);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('works on an encoder from withInputShape', () => {
    const encoder = smallConvNet({ inputShape: [28, 28, 1], widths: [4, 8, 16], key: createKey(6) });
    const tiles = withInputShape(encoder, [16, 16, 1]);
    const stages = encoderStages(tiles);
    expect(shapes(stages)).toEqual([
      [null, 8, 8, 4],
      [null, 4, 4, 8],
      [null, 2, 2, 16],
      [null, 16],
    ]);
    for (const m of [stages, tiles, encoder]) m.dispose();
  });

  it('throws ArgumentError for a model without stage layers, or not a one-output model', () => {
    const input = tfl.input({ shape: [4] });
    const plain = tfl.model({
      inputs: input,
      outputs: tfl.layers.dense({ units: 2, name: 'd' }).apply(input) as tfl.SymbolicTensor,
    });
    expect(() => encoderStages(plain)).toThrow(ArgumentError);
    expect(() => encoderStages(plain)).toThrow(
      /encoderStages: 'encoder' must have layers named '<name>_stage1_/,
    );
    expect(() => encoderStages({} as tfl.LayersModel)).toThrow(
      /encoderStages.*encoder.*one input and one output/,
    );
    plain.dispose();
  });
});

describe('withInputShape', () => {
  it('runs the same weights at another size: shared layers agree, and training one updates the other', async () => {
    const encoder = smallConvNet({ inputShape: [28, 28, 1], widths: [4, 8], key: createKey(7) });
    const tiles = withInputShape(encoder, [16, 16, 1]);
    expect(tiles.outputs[0]!.shape).toEqual([null, 8]);
    expect(tiles.weights.map((w) => w.read().id)).toEqual(encoder.weights.map((w) => w.read().id));
    // The first conv + BN + ReLU is per pixel up to the padding band: on a 16x16 crop of a 28x28
    // image, the interior (away from the crop border) of the stage-1 map agrees between the two.
    const big = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 8);
    const crop = tf.slice(big, [0, 4, 4, 0], [2, 16, 16, 1]);
    const s1 = encoderStages(encoder);
    const s2 = encoderStages(tiles);
    const a = (s1.predict(big) as tf.Tensor[])[0]!; // [2,14,14,4]
    const b = (s2.predict(crop) as tf.Tensor[])[0]!; // [2,8,8,4]
    // Crop offset 4 px = 2 stage-1 cells; skip one cell of b's border (the conv sees the crop's padding).
    const inner = (t: tf.Tensor, o: number) => tf.slice(t, [0, o, o, 0], [2, 6, 6, 4]);
    const ia = inner(a, 3);
    const ib = inner(b, 1);
    await expectTensorClose(ib, ia, { rtol: 1e-5, atol: 1e-6 });
    // Train through the 16x16 model: the 28x28 encoder changes.
    const before = encoder.predict(big) as tf.Tensor;
    const optimizer = tf.train.sgd(0.5);
    optimizer.minimize(
      () => tf.mean(tiles.apply(crop, { training: true }) as tf.Tensor) as tf.Scalar,
      false,
      trainableVariables(tiles),
    );
    const after = encoder.predict(big) as tf.Tensor;
    const change = await tf.max(tf.abs(tf.sub(after, before))).data();
    expect(change[0]).toBeGreaterThan(1e-4);
    tf.dispose([big, crop, a, b, ia, ib, before, after]);
    optimizer.dispose();
    for (const m of [s1, s2, tiles, encoder]) m.dispose();
  });

  it('works for resnet18 at another size and frees everything when both are disposed', async () => {
    const start = tf.memory().numTensors;
    const encoder = resnet18({ inputShape: [32, 32, 3], widthMultiplier: 1 / 16, key: createKey(9) });
    const small = withInputShape(encoder, [12, 20, 3]);
    const x = tf.zeros([1, 12, 20, 3]);
    await expectNoLeaks(() => small.predict(x));
    small.dispose();
    const z = tf.zeros([1, 32, 32, 3]);
    const y = encoder.predict(z) as tf.Tensor;
    expect(y.shape).toEqual([1, 32]);
    tf.dispose([x, y, z]);
    encoder.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('throws ArgumentError for another channel count or a bad shape', () => {
    const encoder = smallConvNet({ inputShape: [8, 8, 1], widths: [4], key: createKey(10) });
    expect(() => withInputShape(encoder, [8, 8, 3])).toThrow(ArgumentError);
    expect(() => withInputShape(encoder, [8, 8, 3])).toThrow(
      /withInputShape: 'inputShape' \[8, 8, 3\] must keep the encoder's 1 input channels/,
    );
    expect(() => withInputShape(encoder, [8, 0, 1] as never)).toThrow(/withInputShape/);
    encoder.dispose();
  });
});
