import { createKey, foldIn } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { warpResiduals } from '../../test/naive-warp';
import { syntheticSceneFlow, syntheticSceneFlowBatch } from './synthetic-scene-flow';

const H = 48;
const W = 144;
const example = syntheticSceneFlow(createKey(11), { height: H, width: W, movingObjects: 4, objects: 8 });

describe('syntheticSceneFlow', () => {
  it('a static scene seen by a still camera has zero flow and scene flow, and disparity2 = disparity1', () => {
    const still = syntheticSceneFlow(createKey(3), { height: 12, width: 20, motion: 0, movingObjects: 0 });
    const largest = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(largest(still.flow)).toBeLessThan(1e-4); // round-off of re-projecting the hit point
    expect(largest(still.sceneFlow)).toBe(0);
    expect(still.disparity2).toEqual(still.disparity1);
    expect(still.left2).toEqual(still.left1);
    expect(still.occlusion.every((v) => v === 0)).toBe(true);
    expect(still.occlusionDisparity2).toEqual(still.occlusionDisparity1);
    expect(still.valid.every((v) => v === 1)).toBe(true);
    expect(still.dynamic.every((v) => v === 0)).toBe(true);
  });

  it('projecting P1 + sceneFlow reproduces the flow and disparity2 (hand-written pinhole, every valid pixel)', () => {
    const K = example.K;
    const [fx, cx, fy, cy] = [K[0]!, K[2]!, K[4]!, K[5]!];
    const fb = fx * example.baseline;
    let checked = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        if (example.valid[p] !== 1) continue;
        const z1 = fb / example.disparity1[p]!;
        const P1 = [((x - cx) / fx) * z1, ((y - cy) / fy) * z1, z1];
        const P2 = P1.map((v, i) => v + example.sceneFlow[3 * p + i]!);
        const u = (fx * P2[0]!) / P2[2]! + cx;
        const v = (fy * P2[1]!) / P2[2]! + cy;
        expect(Math.abs(u - (x + example.flow[2 * p]!))).toBeLessThan(2e-3);
        expect(Math.abs(v - (y + example.flow[2 * p + 1]!))).toBeLessThan(2e-3);
        expect(fb / P2[2]!).toBeCloseTo(example.disparity2[p]!, 3);
        // disparity1 is the rendered depth's disparity
        expect(Math.abs(z1 - example.depth1[p]!)).toBeLessThan(1e-4 * z1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0.9 * H * W);
  });

  it('the images agree with the ground truth: left2 at x + flow, right1 at x - d1, right2 at x + flow - d2', () => {
    const index = (x: number, y: number) => y * W + x;
    const visible = (mask: Float32Array) => (x: number, y: number) => mask[index(x, y)] === 0;
    const checks = [
      { source: example.left2, mask: example.occlusion, dx: (p: number) => example.flow[2 * p]!, dy: true },
      {
        source: example.right1,
        mask: example.occlusionDisparity1,
        dx: (p: number) => -example.disparity1[p]!,
        dy: false,
      },
      {
        source: example.right2,
        mask: example.occlusionDisparity2,
        dx: (p: number) => example.flow[2 * p]! - example.disparity2[p]!,
        dy: true,
      },
    ];
    for (const { source, mask, dx, dy } of checks) {
      const seen = visible(mask);
      const residuals = warpResiduals(example.left1, source, undefined, H, W, (x, y) => {
        const p = index(x, y);
        if (!seen(x, y)) return undefined;
        return { x: x + dx(p), y: y + (dy ? example.flow[2 * p + 1]! : 0), z: 1 };
      });
      expect(residuals.validFraction).toBeGreaterThan(0.4);
      expect(residuals.warped).toBeLessThan(0.025);
      expect(residuals.unwarped).toBeGreaterThan(3 * residuals.warped);
    }
  });

  it('has independently moving objects: static points move with the camera only, dynamic ones do not', () => {
    const T = example.srcTransTgt;
    const fb = example.K[0]! * example.baseline;
    let staticError = 0;
    let dynamicPixels = 0;
    let movedOnTheirOwn = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        if (example.valid[p] !== 1) continue;
        const z1 = fb / example.disparity1[p]!;
        const P1 = [
          ((x - example.K[2]!) / example.K[0]!) * z1,
          ((y - example.K[5]!) / example.K[4]!) * z1,
          z1,
        ];
        // the camera-only scene flow: srcTransTgt · P1 - P1
        const rigid = [0, 1, 2].map(
          (i) =>
            T[4 * i]! * P1[0]! + T[4 * i + 1]! * P1[1]! + T[4 * i + 2]! * P1[2]! + T[4 * i + 3]! - P1[i]!,
        );
        const residual = Math.hypot(...rigid.map((r, i) => example.sceneFlow[3 * p + i]! - r));
        if (example.dynamic[p] === 1) {
          dynamicPixels++;
          if (residual > 0.02) movedOnTheirOwn++;
        } else {
          staticError = Math.max(staticError, residual / z1);
        }
      }
    }
    expect(staticError).toBeLessThan(1e-4);
    expect(dynamicPixels).toBeGreaterThan(50);
    expect(movedOnTheirOwn).toBeGreaterThan(0.8 * dynamicPixels);
  });

  it('is deterministic and makes tensor batches without leaks', async () => {
    const again = syntheticSceneFlow(createKey(11), { height: H, width: W, movingObjects: 4, objects: 8 });
    expect(again.sceneFlow).toEqual(example.sceneFlow);
    expect(again.right2).toEqual(example.right2);
    const count = await expectNoLeaks(() => {
      const batch = syntheticSceneFlowBatch(createKey(2), { batchSize: 2, height: 6, width: 8, objects: 3 });
      expect(batch.sceneFlow.shape).toEqual([2, 6, 8, 3]);
      expect(batch.flow.shape).toEqual([2, 6, 8, 2]);
      expect(batch.disparity2.shape).toEqual([2, 6, 8, 1]);
      expect(batch.srcTransTgt.shape).toEqual([2, 4, 4]);
      const alone = syntheticSceneFlow(foldIn(createKey(2), 1), { height: 6, width: 8, objects: 3 });
      expect(batch.examples[1]!.sceneFlow).toEqual(alone.sceneFlow);
      return batch;
    });
    expect(count).toBe(17);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => syntheticSceneFlow(createKey(0), { height: 8, width: 8, baseline: 0 })).toThrow(
      "syntheticSceneFlow: 'baseline' is 0 but expected a finite number > 0.",
    );
    expect(() =>
      syntheticSceneFlowBatch(createKey(0), {
        height: 8,
        width: 8,
        objects: 1,
        movingObjects: 2,
        batchSize: 1,
      }),
    ).toThrow("syntheticSceneFlowBatch: 'movingObjects' is 2 but expected an integer in [0, 1].");
  });
});
