import { ArgumentError, createKey } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { cloneModel } from '../ema/clone-model';
import { encoderStages } from '../encoders/encoder-stages';
import { resnet18 } from '../encoders/resnet18';
import { smallConvNet } from '../encoders/small-conv-net';
import { trainableVariables } from '../training/trainable-variables';
import { codeDecoder } from './code-decoder';
import { denseDecoder } from './dense-decoder';

async function weightValues(model: tfl.LayersModel): Promise<number[][]> {
  return Promise.all(model.weights.map(async (w) => Array.from(await w.read().data())));
}

/** Every trainable variable gets a non-zero gradient from a sum of squared outputs. */
async function expectGradientEverywhere(model: tfl.LayersModel, inputs: tf.Tensor | tf.Tensor[]) {
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(model.apply(inputs, { training: true }) as tf.Tensor)) as tf.Scalar,
    trainableVariables(model),
  );
  for (const [name, g] of Object.entries(grads)) {
    const norm = (await tf.sum(tf.abs(g)).data())[0]!;
    expect(norm, name).toBeGreaterThan(0);
  }
  tf.dispose([value, ...Object.values(grads)]);
}

const stageShapesOf = (stages: tfl.LayersModel) =>
  stages.outputs.slice(0, -1).map((o) => o.shape.slice(1) as [number, number, number]);

describe('denseDecoder', () => {
  it('maps smallConvNet stage maps (14, 7, 4 at 28x28) to [B, 28, 28, K] with the formula parameter count', async () => {
    const encoder = smallConvNet({ inputShape: [28, 28, 1], widths: [4, 6, 8], key: createKey(0) });
    const stages = encoderStages(encoder);
    const stageShapes = stageShapesOf(stages);
    expect(stageShapes).toEqual([
      [14, 14, 4],
      [7, 7, 6],
      [4, 4, 8],
    ]);
    const decoder = denseDecoder({
      stageShapes,
      outputChannels: 3,
      outputShape: [28, 28],
      key: createKey(1),
    });
    // Level widths default [4, 4, 6]: level 2 takes 8 + 6 (skip) -> 6; level 1 6 + 4 -> 4; level 0 4 -> 4.
    const expected = 9 * 14 * 6 + 4 * 6 + (9 * 10 * 4 + 4 * 4) + (9 * 4 * 4 + 4 * 4) + (9 * 4 * 3 + 3);
    expect(decoder.countParams()).toBe(expected);
    expect(decoder.outputs[0]!.shape).toEqual([null, 28, 28, 3]);
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 2);
    const maps = stages.predict(x) as tf.Tensor[];
    await expectNoLeaks(() => decoder.predict(maps.slice(0, -1)));
    const y = decoder.predict(maps.slice(0, -1)) as tf.Tensor;
    expect(y.shape).toEqual([2, 28, 28, 3]);
    await expectGradientEverywhere(decoder, maps.slice(0, -1));
    tf.dispose([x, y, ...maps]);
    for (const m of [decoder, stages, encoder]) m.dispose();
  });

  it('without skips, takes only the deepest map into account, and 261 colour bins work', async () => {
    const stageShapes: [number, number, number][] = [
      [8, 8, 4],
      [4, 4, 8],
    ];
    const decoder = denseDecoder({
      stageShapes,
      outputChannels: 261,
      outputShape: [16, 16],
      skips: false,
      widths: [5, 6],
      key: createKey(3),
    });
    expect(decoder.countParams()).toBe(9 * 8 * 6 + 4 * 6 + 9 * 6 * 5 + 4 * 5 + 9 * 5 * 261 + 261);
    const deep = tf.randomNormal([1, 4, 4, 8], 0, 1, 'float32', 4);
    const [zeros, ones] = [tf.zeros([1, 8, 8, 4]), tf.ones([1, 8, 8, 4])];
    const a = decoder.predict([zeros, deep]) as tf.Tensor;
    const b = decoder.predict([ones, deep]) as tf.Tensor;
    expect(a.shape).toEqual([1, 16, 16, 261]);
    await expectTensorClose(a, b, { rtol: 0, atol: 0 });
    tf.dispose([a, b, deep, zeros, ones]);
    decoder.dispose();
  });

  it('works on resnet18 stages, whose first stage already has the input size (no resize at level 0)', () => {
    const encoder = resnet18({ inputShape: [16, 16, 3], widthMultiplier: 1 / 16, key: createKey(5) });
    const stages = encoderStages(encoder);
    const decoder = denseDecoder({
      stageShapes: stageShapesOf(stages),
      outputChannels: 3,
      outputShape: [16, 16],
      key: createKey(6),
    });
    expect(decoder.layers.some((l) => l.name === 'dense_decoder_level0_up')).toBe(false);
    expect(decoder.layers.some((l) => l.name === 'dense_decoder_level1_up')).toBe(true);
    expect(decoder.outputs[0]!.shape).toEqual([null, 16, 16, 3]);
    for (const m of [decoder, stages, encoder]) m.dispose();
  });

  it('is deterministic from its key, and survives a serialisation round trip (cloneModel)', async () => {
    const options = {
      stageShapes: [[4, 4, 2]] as [number, number, number][],
      outputChannels: 2,
      outputShape: [7, 7] as [number, number],
    };
    const a = denseDecoder({ ...options, key: createKey(7) });
    const b = denseDecoder({ ...options, key: createKey(7) });
    const c = denseDecoder({ ...options, key: createKey(8) });
    const [wa, wb, wc] = await Promise.all([a, b, c].map(weightValues));
    expect(wb).toEqual(wa);
    expect(wc?.[0]).not.toEqual(wa?.[0]);
    const copy = await cloneModel(a);
    const x = tf.randomUniform([1, 4, 4, 2], 0, 1, 'float32', 9);
    const ya = a.predict(x) as tf.Tensor;
    const yc = copy.predict(x) as tf.Tensor;
    expect(ya.shape).toEqual([1, 7, 7, 2]);
    await expectTensorClose(yc, ya, { rtol: 0, atol: 0 });
    tf.dispose([x, ya, yc]);
    for (const m of [a, b, c, copy]) m.dispose();
  });

  it('throws ArgumentError naming the option', () => {
    const key = createKey(0);
    expect(() => denseDecoder({ stageShapes: [], outputChannels: 3, outputShape: [8, 8], key })).toThrow(
      ArgumentError,
    );
    expect(() =>
      denseDecoder({ stageShapes: [[4, 4]] as never, outputChannels: 3, outputShape: [8, 8], key }),
    ).toThrow(/denseDecoder.*stageShapes\[0\]/);
    expect(() =>
      denseDecoder({ stageShapes: [[4, 4, 2]], outputChannels: 0, outputShape: [8, 8], key }),
    ).toThrow(/denseDecoder.*outputChannels/);
    expect(() =>
      denseDecoder({ stageShapes: [[4, 4, 2]], outputChannels: 3, outputShape: [8, 8], widths: [1, 2], key }),
    ).toThrow(/denseDecoder.*widths/);
    expect(() =>
      denseDecoder({ stageShapes: [[4, 4, 2]], outputChannels: 3, outputShape: [8, 8], key: 3 as never }),
    ).toThrow(/denseDecoder/);
  });
});

describe('codeDecoder', () => {
  it('maps [B, D] to [B, 28, 28, 1] through 4 -> 7 -> 14 -> 28 with the formula parameter count', async () => {
    const decoder = codeDecoder({
      codeDim: 10,
      outputShape: [28, 28, 1],
      widths: [6, 5, 4],
      key: createKey(0),
    });
    const layerShapes = decoder.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.outputShape);
    expect(layerShapes).toEqual([
      [null, 7, 7, 5],
      [null, 14, 14, 4],
      [null, 28, 28, 1],
    ]);
    const expected = 10 * 16 * 6 + 4 * 16 * 6 + (9 * 6 * 5 + 4 * 5) + (9 * 5 * 4 + 4 * 4) + (9 * 4 + 1);
    expect(decoder.countParams()).toBe(expected);
    const code = tf.randomNormal([3, 10], 0, 1, 'float32', 1);
    await expectNoLeaks(() => decoder.predict(code));
    await expectGradientEverywhere(decoder, code);
    code.dispose();
    decoder.dispose();
  });

  it('lands exactly on non-square, non-power-of-two sizes and any channel count', () => {
    const decoder = codeDecoder({ codeDim: 4, outputShape: [12, 20, 3], widths: [4, 4], key: createKey(2) });
    expect(decoder.outputs[0]!.shape).toEqual([null, 12, 20, 3]);
    decoder.dispose();
  });

  it('is deterministic from its key', async () => {
    const build = (seed: number) =>
      codeDecoder({ codeDim: 3, outputShape: [8, 8, 1], widths: [2, 2], key: createKey(seed) });
    const [a, b, c] = [build(4), build(4), build(5)];
    const [wa, wb, wc] = await Promise.all([a, b, c].map(weightValues));
    expect(wb).toEqual(wa);
    expect(wc?.[0]).not.toEqual(wa?.[0]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('throws ArgumentError naming the option', () => {
    const key = createKey(0);
    expect(() => codeDecoder({ codeDim: 0, outputShape: [8, 8, 1], key })).toThrow(ArgumentError);
    expect(() => codeDecoder({ codeDim: 0, outputShape: [8, 8, 1], key })).toThrow(/codeDecoder.*codeDim/);
    expect(() => codeDecoder({ codeDim: 4, outputShape: [8, 8] as never, key })).toThrow(
      /codeDecoder.*outputShape/,
    );
    expect(() => codeDecoder({ codeDim: 4, outputShape: [8, 8, 1], widths: [], key })).toThrow(
      /codeDecoder.*widths/,
    );
  });
});
