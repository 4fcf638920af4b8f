import type { SyntheticFlow } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { FLOW_WHEEL, flowColor, flowToRgba, maxFlowMagnitude } from '../lib/flow-color';
import {
  checkFlowPair,
  DEFAULT_FLOW_VIEW,
  flowPairs,
  inViewMask,
  maskAgreement,
  splatBackwardFlow,
} from './flow-view';

describe('flow colour wheel', () => {
  test('Middlebury wheel: 55 colours; zero flow is white; right is red, down is green-yellow', () => {
    expect(FLOW_WHEEL).toHaveLength(55);
    expect(flowColor(0, 0, 1)).toEqual([255, 255, 255]);
    // u = 1, v = 0: atan2(-0, -1) / pi = -1 (or 1), the wheel's first (last) colour, red.
    expect(flowColor(1, 0, 1)).toEqual([255, 0, 0]);
    // v = 1 (down): atan2(-1, -0) / pi = -1/2, fk = 13.5: between colours 13 and 14 of red-yellow.
    const g = Math.round(255 * ((13 / 15 + 14 / 15) / 2));
    expect(flowColor(0, 1, 1)).toEqual([255, g, 0]);
    // Half the largest magnitude fades halfway to white.
    expect(flowColor(0.5, 0, 1)).toEqual([255, 128, 128]);
    // Beyond the largest magnitude: darkened to 3/4.
    expect(flowColor(2, 0, 1)).toEqual([191, 0, 0]);
    expect(maxFlowMagnitude(Float32Array.of(3, 4, 0, 0))).toBe(5);
    expect(Array.from(flowToRgba(Float32Array.of(0, 0), 1))).toEqual([255, 255, 255, 255]);
  });
});

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

  test('mask agreement counts by hand', () => {
    const a = maskAgreement([1, 1, 0, 0, 1], [1, 0, 0, 1, 1]);
    expect(a.precision).toBeCloseTo(2 / 3, 12);
    expect(a.recall).toBeCloseTo(2 / 3, 12);
    expect(a.accuracy).toBeCloseTo(3 / 5, 12);
    expect(Number.isNaN(maskAgreement([0, 0], [0, 0]).precision)).toBe(true);
    // Only the included pixels count.
    const some = maskAgreement([1, 1, 0, 0, 1], [1, 0, 0, 1, 1], [1, 1, 1, 0, 0]);
    expect([some.precision, some.recall, some.accuracy]).toEqual([0.5, 1, 2 / 3]);
    expect(Array.from(inViewMask(Float32Array.of(1, 0, 1, 0), 1, 2))).toEqual([1, 0]);
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
        ['in view', inViewAgreement],
      ] as const)
        console.log(
          `flow view (${name}): occluded ${a.truth} px, marked ${a.predicted}, precision ${a.precision.toFixed(3)}, recall ${a.recall.toFixed(3)}, accuracy ${a.accuracy.toFixed(3)}`,
        );
      expect(agreement.accuracy).toBeGreaterThan(0.5);
    }
  });
});
