import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { rigidError, warpResiduals } from '../../test/naive-warp';
import { syntheticStereo, syntheticStereoBatch } from './synthetic-stereo';

const H = 64;
const W = 192;
const pair = syntheticStereo(createKey(11), { height: H, width: W, baseline: 0.4 });

describe('syntheticStereo', () => {
  it('has disparity fx·baseline/depth for both views, positive and finite', () => {
    const fx = pair.K[0]!;
    expect(pair.baseline).toBe(0.4);
    for (const [d, z] of [
      [pair.disparityLeft, pair.depthLeft],
      [pair.disparityRight, pair.depthRight],
    ] as const) {
      expect(d.length).toBe(H * W);
      for (let i = 0; i < d.length; i += 97) expect(d[i]).toBeCloseTo((fx * 0.4) / z[i]!, 4);
      expect(z.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
      expect(d.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    expect(rigidError(pair.worldFromLeft)).toBeLessThan(1e-6);
  });

  it('matches left pixels to the right image at x - d_left (naive loop), far better than at zero disparity', () => {
    // x_right = x_left - d_left, visible where the right view's depth there agrees
    const stereo = warpResiduals(pair.left, pair.right, pair.depthRight, H, W, (x, y) => ({
      x: x - pair.disparityLeft[y * W + x]!,
      y,
      z: pair.depthLeft[y * W + x]!,
    }));
    expect(stereo.validFraction).toBeGreaterThan(0.75);
    expect(stereo.warped).toBeLessThan(0.02);
    expect(stereo.unwarped).toBeGreaterThan(5 * stereo.warped);
    // the right view's disparity points back: x_left = x_right + d_right
    const back = warpResiduals(pair.right, pair.left, pair.depthLeft, H, W, (x, y) => ({
      x: x + pair.disparityRight[y * W + x]!,
      y,
      z: pair.depthRight[y * W + x]!,
    }));
    expect(back.warped).toBeLessThan(0.02);
    expect(back.unwarped).toBeGreaterThan(5 * back.warped);
  });

  it('marks the left border and hidden points as occluded, and few others', () => {
    let border = 0;
    let total = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const occluded = pair.occlusionLeft[y * W + x]!;
        total += occluded;
        if (x - pair.disparityLeft[y * W + x]! < 0) {
          border++;
          expect(occluded).toBe(1);
        }
      }
    }
    expect(border).toBeGreaterThan(0);
    expect(total).toBeLessThan(0.3 * H * W);
  });

  it('is deterministic and makes tensor batches without leaks', async () => {
    const again = syntheticStereo(createKey(11), { height: H, width: W, baseline: 0.4 });
    expect(again.right).toEqual(pair.right);
    const count = await expectNoLeaks(() => {
      const batch = syntheticStereoBatch(createKey(1), { batchSize: 2, height: 8, width: 10 });
      expect(batch.left.shape).toEqual([2, 8, 10, 3]);
      expect(batch.disparityLeft.shape).toEqual([2, 8, 10, 1]);
      expect(batch.K.shape).toEqual([2, 3, 3]);
      expect(Array.from(batch.right.dataSync().subarray(240))).toEqual(Array.from(batch.pairs[1]!.right));
      return batch;
    });
    expect(count).toBe(8);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => syntheticStereo(createKey(0), { height: 8, width: 8, baseline: 0 })).toThrow(
      "syntheticStereo: 'baseline' is 0 but expected a finite number > 0.",
    );
    expect(() => syntheticStereo(createKey(0), { height: 8, width: 8, samples: 9 })).toThrow(
      "syntheticStereo: 'samples' is 9 but expected an integer in [1, 8].",
    );
  });
});
