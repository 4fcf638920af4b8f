import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { flowToColor, middleburyColorWheel } from './flow-to-color';

const row = (pairs: number[][]) => tf.tensor4d(pairs.flat(), [1, 1, pairs.length, 2]);

describe('middleburyColorWheel', () => {
  it('has the 55 colours of Baker et al.: segments 15, 6, 4, 11, 13, 6 starting at pure hues', () => {
    const wheel = middleburyColorWheel();
    expect(wheel.length).toBe(55);
    expect(wheel[0]).toEqual([255, 0, 0]); // red
    expect(wheel[15]).toEqual([255, 255, 0]); // yellow
    expect(wheel[21]).toEqual([0, 255, 0]); // green
    expect(wheel[25]).toEqual([0, 255, 255]); // cyan
    expect(wheel[36]).toEqual([0, 0, 255]); // blue
    expect(wheel[49]).toEqual([255, 0, 255]); // magenta
    expect(wheel[14]).toEqual([255, 238, 0]); // floor(255 · 14 / 15)
    expect(wheel[54]).toEqual([255, 0, 43]); // 255 - floor(255 · 5 / 6)
  });
});

describe('flowToColor', () => {
  it('colours the four axis directions at full length as the wheel does, zero flow white', async () => {
    // a = atan2(-v, -u) / π, position (a + 1) / 2 · 54:
    // right (1, 0): a = -1 -> 0 -> wheel[0] = (255, 0, 0)
    // down (0, 1): a = -1/2 -> 13.5 -> (wheel[13] + wheel[14]) / 2 = (255, (221 + 238) / 2, 0)
    // left (-1, 0): a = 0 -> 27 -> wheel[27] = (0, 255 - floor(255 · 2 / 11), 255) = (0, 209, 255)
    // up (0, -1): a = 1/2 -> 40.5 -> (wheel[40] + wheel[41]) / 2 = ((78 + 98) / 2, 0, 255)
    const flow = row([
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
      [0, 0],
    ]);
    await expectTensorClose(
      flowToColor(flow),
      [
        [
          [
            [1, 0, 0],
            [1, 229.5 / 255, 0],
            [0, 209 / 255, 1],
            [88 / 255, 0, 1],
            [1, 1, 1],
          ],
        ],
      ],
      { atol: 1e-5 },
    );
    flow.dispose();
  });

  it('desaturates towards white below the maximum and darkens beyond it', async () => {
    // Max length 4 in the batch: (2, 0) is at r = 0.5 -> 1 - 0.5 · (1 - (1, 0, 0)) = (1, 0.5, 0.5).
    const flow = row([
      [2, 0],
      [4, 0],
    ]);
    await expectTensorClose(flowToColor(flow), [
      [
        [
          [1, 0.5, 0.5],
          [1, 0, 0],
        ],
      ],
    ]);
    // With maxMagnitude 1 both lie beyond: 0.75 · (1, 0, 0).
    await expectTensorClose(flowToColor(flow, { maxMagnitude: 1 }), [
      [
        [
          [0.75, 0, 0],
          [0.75, 0, 0],
        ],
      ],
    ]);
    // With maxMagnitude 8: r = 0.25 and 0.5.
    await expectTensorClose(flowToColor(flow, { maxMagnitude: 8 }), [
      [
        [
          [1, 0.75, 0.75],
          [1, 0.5, 0.5],
        ],
      ],
    ]);
    flow.dispose();
  });

  it('shares one scale over the batch; an all-zero batch is white', async () => {
    const flow = tf.tensor4d([0, 1, 0, 2], [2, 1, 1, 2]); // down, lengths 1 and 2
    const rgb = flowToColor(flow);
    const g = 229.5 / 255;
    await expectTensorClose(rgb, [[[[1, 1 - 0.5 * (1 - g), 0.5]]], [[[1, g, 0]]]]);
    const zero = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    await expectTensorClose(flowToColor(zero), tf.ones([1, 2, 2, 3]));
    tf.dispose([flow, rgb, zero]);
  });

  it('leaks nothing and names bad arguments', async () => {
    const flow = row([[1, 2]]);
    expect(await expectNoLeaks(() => flowToColor(flow))).toBe(1);
    expect(() => flowToColor(flow, { maxMagnitude: 0 })).toThrow(ArgumentError);
    expect(() => flowToColor(flow, { maxMagnitude: 0 })).toThrow("flowToColor: 'maxMagnitude' is 0");
    const three = tf.zeros([1, 1, 1, 3]);
    expect(() => flowToColor(three as tf.Tensor4D)).toThrow(ShapeError);
    const int = tf.zeros([1, 1, 1, 2], 'int32');
    expect(() => flowToColor(int as tf.Tensor4D)).toThrow(DTypeError);
    tf.dispose([flow, three, int]);
  });
});
