import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { rigidError, warpResiduals } from '../../test/naive-warp';
import { syntheticFlow, syntheticFlowBatch } from './synthetic-flow';

const H = 64;
const W = 192;
const pair = syntheticFlow(createKey(21), { height: H, width: W, movingObjects: 3, objects: 8 });

describe('syntheticFlow', () => {
  it('warps frame 2 onto frame 1 with the flow on non-occluded pixels (naive loop)', () => {
    const visible = (x: number, y: number) => pair.occlusion[y * W + x] === 0;
    const residuals = warpResiduals(pair.frame1, pair.frame2, undefined, H, W, (x, y) =>
      visible(x, y)
        ? { x: x + pair.flow[2 * (y * W + x)]!, y: y + pair.flow[2 * (y * W + x) + 1]!, z: 1 }
        : undefined,
    );
    expect(residuals.validFraction).toBeGreaterThan(0.5);
    expect(residuals.warped).toBeLessThan(0.02);
    expect(residuals.unwarped).toBeGreaterThan(5 * residuals.warped);
  });

  it('has finite flow, an occlusion mask that includes hidden in-view points, and rigid poses', () => {
    expect(pair.flow.every(Number.isFinite)).toBe(true);
    expect(pair.occlusion.every((v) => v === 0 || v === 1)).toBe(true);
    let hidden = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const u = x + pair.flow[2 * (y * W + x)]!;
        const v = y + pair.flow[2 * (y * W + x) + 1]!;
        const inView = u >= 0 && u <= W - 1 && v >= 0 && v <= H - 1;
        if (inView && pair.occlusion[y * W + x] === 1) hidden++;
        if (!inView) expect(pair.occlusion[y * W + x]).toBe(1);
      }
    }
    expect(hidden).toBeGreaterThan(10);
    expect(rigidError(pair.srcTransTgt)).toBeLessThan(1e-6);
    expect(pair.depth1.every((d) => Number.isFinite(d) && d > 0)).toBe(true);
  });

  it('moving objects change the flow away from the rigid (camera-only) flow', () => {
    const still = syntheticFlow(createKey(21), { height: H, width: W, movingObjects: 0, objects: 8 });
    let moved = 0;
    for (let i = 0; i < H * W; i++) {
      const du = pair.flow[2 * i]! - still.flow[2 * i]!;
      const dv = pair.flow[2 * i + 1]! - still.flow[2 * i + 1]!;
      if (Math.hypot(du, dv) > 0.5) moved++;
    }
    expect(moved).toBeGreaterThan(20);
  });

  it('is deterministic and makes tensor batches without leaks', async () => {
    const again = syntheticFlow(createKey(21), { height: H, width: W, movingObjects: 3, objects: 8 });
    expect(again.flow).toEqual(pair.flow);
    const count = await expectNoLeaks(() => {
      const batch = syntheticFlowBatch(createKey(2), { batchSize: 2, height: 6, width: 8 });
      expect(batch.flow.shape).toEqual([2, 6, 8, 2]);
      expect(batch.occlusion.shape).toEqual([2, 6, 8, 1]);
      expect(batch.srcTransTgt.shape).toEqual([2, 4, 4]);
      return batch;
    });
    expect(count).toBe(8);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => syntheticFlow(createKey(0), { height: 8, width: 8, objects: 2, movingObjects: 3 })).toThrow(
      "syntheticFlow: 'movingObjects' is 3 but expected an integer in [0, 2].",
    );
    expect(() => syntheticFlow(createKey(0), { height: 8, width: '8' as never })).toThrow(
      `syntheticFlow: 'width' is '8' but expected an integer in [1, 4096].`,
    );
  });
});
