import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { type SceneFlowFields, sceneFlowMetrics } from './scene-flow-metrics';

/** Fields of one row of 4 pixels from plain arrays. */
function fields(d1: number[], d2: number[], flow: number[][], sceneFlow?: number[][]): SceneFlowFields {
  const n = d1.length;
  return {
    disparity1: tf.tensor4d(d1, [1, 1, n, 1]),
    disparity2: tf.tensor4d(d2, [1, 1, n, 1]),
    flow: tf.tensor4d(flow.flat(), [1, 1, n, 2]),
    ...(sceneFlow === undefined ? {} : { sceneFlow: tf.tensor4d(sceneFlow.flat(), [1, 1, n, 3]) }),
  };
}

const dispose = (f: SceneFlowFields) => tf.dispose(Object.values(f));

// Pixel by pixel (truth -> prediction, error, outlier?):
//   0: d1 10 -> 14 (4 > 3 and > 0.5: D1);  d2 10 -> 10;                 flow (0,0) -> (0,10) (10: Fl);  sf (0,0,0) -> (1,2,2) (3)
//   1: d1 100 -> 104 (4 < 5% of 100: no);  d2 10 -> 10;                 flow (100,0) -> (104,0) (4 < 5: no); sf -> 0
//   2: d1 50 -> 50;                        d2 10 -> 13.5 (3.5: D2);      flow (0,0) -> (0,0);            sf -> (0,3,4) (5)
//   3: d1 20 -> 23 (3 is not > 3: no);     d2 10 -> 10;                 flow (0,0) -> (3,4) (5: Fl);    sf -> 0
const truthValues = () =>
  fields(
    [10, 100, 50, 20],
    [10, 10, 10, 10],
    [
      [0, 0],
      [100, 0],
      [0, 0],
      [0, 0],
    ],
    [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
const predValues = () =>
  fields(
    [14, 104, 50, 23],
    [10, 10, 13.5, 10],
    [
      [0, 10],
      [104, 0],
      [0, 0],
      [3, 4],
    ],
    [
      [1, 2, 2],
      [0, 0, 0],
      [0, 3, 4],
      [0, 0, 0],
    ],
  );

describe('sceneFlowMetrics', () => {
  it('gives D1, D2, Fl, SF1 and the 3-D EPE of a hand-derived case', async () => {
    const truth = truthValues();
    const pred = predValues();
    const m = await sceneFlowMetrics({ ...pred, truth });
    // D1: pixel 0; D2: pixel 2; Fl: pixels 0 and 3; SF1: pixels 0, 2, 3; EPE3d (3 + 5) / 4.
    expect(m).toEqual({ d1: 0.25, d2: 0.25, fl: 0.5, sf1: 0.75, epe3d: expect.closeTo(2, 6), count: 4 });
    // The valid mask drops pixel 3: every rate is over the 3 kept.
    const valid = tf.tensor4d([1, 1, 1, 0], [1, 1, 4, 1]);
    const v = await sceneFlowMetrics({ ...pred, truth, valid });
    expect(v.count).toBe(3);
    expect(v.d1).toBeCloseTo(1 / 3, 12);
    expect(v.d2).toBeCloseTo(1 / 3, 12);
    expect(v.fl).toBeCloseTo(1 / 3, 12);
    expect(v.sf1).toBeCloseTo(2 / 3, 12);
    expect(v.epe3d).toBeCloseTo(8 / 3, 5);
    tf.dispose(valid);
    dispose(truth);
    dispose(pred);
  });

  it('leaves out epe3d without scene flow', async () => {
    const { sceneFlow: a, ...truth } = truthValues();
    const { sceneFlow: b, ...pred } = predValues();
    const m = await sceneFlowMetrics({ ...pred, truth });
    expect(m).toEqual({ d1: 0.25, d2: 0.25, fl: 0.5, sf1: 0.75, count: 4 });
    expect('epe3d' in m).toBe(false);
    tf.dispose([a!, b!]);
    dispose(truth);
    dispose(pred);
  });

  it('leaks nothing and names bad arguments', async () => {
    const truth = truthValues();
    const pred = predValues();
    await expectNoLeaks(() => sceneFlowMetrics({ ...pred, truth }));
    const before = tf.memory().numTensors;
    const { sceneFlow: _, ...noSceneFlow } = truth;
    await expect(sceneFlowMetrics({ ...pred, truth: noSceneFlow })).rejects.toThrow(
      "sceneFlowMetrics: the prediction has 'sceneFlow' but truth has not; give it on both sides for the 3-D EPE, or on neither.",
    );
    const wide = tf.zeros([1, 1, 4, 2]);
    await expect(
      sceneFlowMetrics({ ...pred, truth: { ...truth, disparity2: wide as tf.Tensor4D } }),
    ).rejects.toThrow("sceneFlowMetrics: 'truth.disparity2' has shape [1,1,4,2] but expected [B,H,W,1].");
    const short = tf.zeros([1, 1, 3, 2]);
    await expect(sceneFlowMetrics({ ...pred, flow: short as tf.Tensor4D, truth })).rejects.toThrow(
      ShapeError,
    );
    const int = tf.zeros([1, 1, 4, 1], 'int32');
    await expect(sceneFlowMetrics({ ...pred, disparity1: int as tf.Tensor4D, truth })).rejects.toThrow(
      DTypeError,
    );
    const none = tf.zeros([1, 1, 4, 1]);
    await expect(sceneFlowMetrics({ ...pred, truth, valid: none })).rejects.toThrow(ArgumentError);
    await expect(sceneFlowMetrics({ ...pred, truth: undefined as never })).rejects.toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose([wide, short, int, none]);
    dispose(truth);
    dispose(pred);
  });
});
