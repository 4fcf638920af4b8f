import type { SyntheticFlow } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import {
  checkFlowPair,
  DEFAULT_FLOW_VIEW,
  flowImage,
  flowPairs,
  flowWheelImage,
  inViewMask,
  maskComparisonRgba,
  maxFlowMagnitude,
  splatBackwardFlow,
} from './flow-view';

describe('flow view', () => {
  test('splatting a constant shift gives its negative everywhere (holes filled from neighbours)', () => {
    const [H, W] = [4, 6];
    const flow = new Float32Array(H * W * 2);
    for (let i = 0; i < H * W; i++) flow[2 * i] = 2; // every pixel moves 2 px right
    const back = splatBackwardFlow(flow, new Float32Array(H * W).fill(1), H, W);
    for (let i = 0; i < H * W; i++) {
      expect(back[2 * i]).toBeCloseTo(-2, 6);
      expect(back[2 * i + 1]).toBeCloseTo(0, 6);
    }
  });

  test('the nearer surface wins where two land on one pixel', () => {
    // 1 x 3: pixel 0 (depth 1) moves +1 onto pixel 1, pixel 1 (depth 5) stays: pixel 1 shows pixel 0.
    const flow = Float32Array.of(1, 0, 0, 0, 0, 0);
    const back = splatBackwardFlow(flow, Float32Array.of(1, 5, 5), 1, 3);
    expect(back[2]).toBeCloseTo(-1, 6);
  });

  test('in view: where x + flow stays inside the image', () => {
    // 1 x 2: pixel 0 moves to x = 1 (inside), pixel 1 to x = 2 (outside).
    expect(Array.from(inViewMask(Float32Array.of(1, 0, 1, 0), 1, 2))).toEqual([1, 0]);
    expect(maxFlowMagnitude(Float32Array.of(3, 4, 0, 0))).toBe(5);
    expect(maxFlowMagnitude(new Float32Array(4))).toBe(1);
  });

  test('the mask comparison colours both, check only, missed and neither; out of view fades to grey', () => {
    const mask = [1, 1, 0, 0];
    const truth = [1, 0, 1, 0];
    expect(Array.from(maskComparisonRgba(mask, truth))).toEqual([
      ...[255, 255, 255, 255],
      ...[247, 103, 7, 255],
      ...[28, 126, 214, 255],
      ...[33, 37, 41, 255],
    ]);
    // 0.45 v + 0.55 * 134 for the first pixel (both): 0.45 * 255 + 73.7 = 188.45 -> 188.
    expect(Array.from(maskComparisonRgba([1], [1], [0]))).toEqual([188, 188, 188, 255]);
  });

  test("flow colours are @genoise/eval's Middlebury wheel: zero is white, right is red", async () => {
    const before = tf.memory().numTensors;
    const rgba = await flowImage(Float32Array.of(0, 0, 1, 0, 2, 0), 1, 3, 1);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 255, 0, 0, 255, 191, 0, 0, 255]);
    const wheel = await flowWheelImage(9);
    expect(Array.from(wheel.subarray(0, 4))).toEqual([255, 255, 255, 255]); // a corner: outside the disc
    expect(Array.from(wheel.subarray(4 * 40, 4 * 41))).toEqual([255, 255, 255, 255]); // the centre: zero flow
    expect(tf.memory().numTensors).toBe(before);
  });

  test('a consistent constant flow has no occlusion; the check leaks no tensors', async () => {
    const [H, W] = [4, 6];
    const flow = new Float32Array(H * W * 2);
    for (let i = 0; i < H * W; i++) flow[2 * i] = 1;
    const pair = {
      height: H,
      width: W,
      flow,
      occlusion: new Float32Array(H * W),
    } as unknown as SyntheticFlow;
    const before = tf.memory().numTensors;
    const result = await checkFlowPair(pair, splatBackwardFlow(flow, new Float32Array(H * W).fill(1), H, W));
    expect(Array.from(result.mask)).toEqual(new Array(H * W).fill(0));
    expect(tf.memory().numTensors).toBe(before);
  });

  test('on the synthetic pairs the check finds the occluded pixels (measured, logged)', async () => {
    const pairs = flowPairs({ ...DEFAULT_FLOW_VIEW, pairs: 2 });
    for (const pair of pairs) {
      const back = splatBackwardFlow(pair.flow, pair.depth1, pair.height, pair.width);
      const { agreement, inViewAgreement } = await checkFlowPair(pair, back);
      for (const [name, a] of [
        ['all', agreement],
        ['in view', inViewAgreement!],
      ] as const)
        console.log(
          `flow view (${name}): occluded ${a.truePositives + a.falseNegatives} of ${a.count} px, marked ${a.truePositives + a.falsePositives}, precision ${a.precision.toFixed(3)}, recall ${a.recall.toFixed(3)}`,
        );
      expect(agreement.count).toBe(pair.height * pair.width);
      expect(inViewAgreement!.count).toBeLessThan(agreement.count);
    }
  });
});
