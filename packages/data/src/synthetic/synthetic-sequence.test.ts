import { ArgumentError, createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { rigidError, warpResiduals } from '../../test/naive-warp';
import { syntheticSequence, syntheticSequenceBatch } from './synthetic-sequence';

const H = 64;
const W = 192;
const seq = syntheticSequence(createKey(3), { height: H, width: W, frames: 3 });

describe('syntheticSequence', () => {
  it('has the documented shapes, positive finite depth and images in [0, 1]', () => {
    expect(seq.images.length).toBe(3 * H * W * 3);
    expect(seq.depth.length).toBe(3 * H * W);
    expect(seq.worldFromCamera.length).toBe(3 * 16);
    expect(seq.K.length).toBe(9);
    expect(seq.depth.every((d) => Number.isFinite(d) && d > 0.1 && d < 100)).toBe(true);
    expect(seq.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    // not a flat image: a textured scene has spread
    const mean = seq.images.reduce((s, v) => s + v, 0) / seq.images.length;
    const spread = Math.sqrt(seq.images.reduce((s, v) => s + (v - mean) ** 2, 0) / seq.images.length);
    expect(spread).toBeGreaterThan(0.08);
  });

  it('is deterministic in its key', () => {
    const again = syntheticSequence(createKey(3), { height: H, width: W, frames: 3 });
    expect(again.images).toEqual(seq.images);
    expect(again.depth).toEqual(seq.depth);
    const other = syntheticSequence(createKey(4), { height: H, width: W, frames: 3 });
    let differing = 0;
    for (let i = 0; i < other.images.length; i++)
      if (Math.abs(other.images[i]! - seq.images[i]!) > 0.05) differing++;
    expect(differing / other.images.length).toBeGreaterThan(0.5);
  });

  it('has valid intrinsics and rigid poses; the camera moves forward', () => {
    expect(Array.from(seq.K)).toEqual([
      Math.fround(W / 2 / Math.tan((40 * Math.PI) / 180)),
      0,
      (W - 1) / 2,
      0,
      Math.fround(W / 2 / Math.tan((40 * Math.PI) / 180)),
      (H - 1) / 2,
      0,
      0,
      1,
    ]);
    for (let t = 0; t < 3; t++)
      expect(rigidError(seq.worldFromCamera.subarray(16 * t, 16 * t + 16))).toBeLessThan(1e-6);
    expect(rigidError(seq.srcTransTgt(0, 2))).toBeLessThan(1e-6);
    // forward: frame 1's camera centre lies ahead (z > 0.2) in frame 0's camera
    expect(seq.srcTransTgt(0, 1)[11]!).toBeGreaterThan(0.2);
    // srcTransTgt(a, b) · srcTransTgt(b, a) = identity
    const ab = seq.srcTransTgt(0, 2);
    const ba = seq.srcTransTgt(2, 0);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += ab[i * 4 + k]! * ba[k * 4 + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });

  it('re-projects the target into each source with its depth, srcTransTgt and K (naive loop)', () => {
    const [fx, , cx, , fy, cy] = Array.from(seq.K);
    const frame = (t: number, c: number, all: Float32Array) =>
      all.subarray(t * H * W * c, (t + 1) * H * W * c);
    const target = 1;
    for (const source of [0, 2]) {
      const T = seq.srcTransTgt(source, target);
      const depth = frame(target, 1, seq.depth);
      const residuals = warpResiduals(
        frame(target, 3, seq.images),
        frame(source, 3, seq.images),
        frame(source, 1, seq.depth),
        H,
        W,
        (x, y) => {
          const d = depth[y * W + x]!;
          const X = ((x - cx!) / fx!) * d;
          const Y = ((y - cy!) / fy!) * d;
          const xs = T[0]! * X + T[1]! * Y + T[2]! * d + T[3]!;
          const ys = T[4]! * X + T[5]! * Y + T[6]! * d + T[7]!;
          const zs = T[8]! * X + T[9]! * Y + T[10]! * d + T[11]!;
          return { x: (fx! * xs) / zs + cx!, y: (fy! * ys) / zs + cy!, z: zs };
        },
      );
      expect(residuals.validFraction).toBeGreaterThan(0.6);
      expect(residuals.warped).toBeLessThan(0.02);
      expect(residuals.unwarped).toBeGreaterThan(5 * residuals.warped);
    }
  });

  it('makes batches of tensors in the pinned layouts, element b from foldIn(key, b)', async () => {
    const key = createKey(9);
    const count = await expectNoLeaks(() => {
      const batch = syntheticSequenceBatch(key, { batchSize: 2, height: 8, width: 12, frames: 2 });
      expect(batch.frames.map((t) => t.shape)).toEqual([
        [2, 8, 12, 3],
        [2, 8, 12, 3],
      ]);
      expect(batch.depth[0]!.shape).toEqual([2, 8, 12, 1]);
      expect(batch.worldFromCamera[1]!.shape).toEqual([2, 4, 4]);
      expect(batch.K.shape).toEqual([2, 3, 3]);
      const pose = batch.srcTransTgt(0, 1);
      expect(pose.shape).toEqual([2, 4, 4]);
      expect(Array.from(pose.dataSync().subarray(16, 32))).toEqual(
        Array.from(batch.sequences[1]!.srcTransTgt(0, 1)),
      );
      return [batch, pose];
    });
    expect(count).toBe(8);
  });

  it('rejects bad options with typed errors naming the op and argument', () => {
    const key = createKey(0);
    expect(() => syntheticSequence(key, { height: 0, width: 8 })).toThrow(
      "syntheticSequence: 'height' is 0 but expected an integer in [1, 4096].",
    );
    expect(() => syntheticSequence(key, { height: 8, width: 8, frames: 1.5 })).toThrow(ArgumentError);
    expect(() => syntheticSequence(key, { height: 8, width: 8, motion: -1 })).toThrow(
      "syntheticSequence: 'motion' is -1 but expected a finite number >= 0.",
    );
    expect(() => syntheticSequence({ k0: -1 } as never, { height: 8, width: 8 })).toThrow(
      /syntheticSequence: 'key'/,
    );
    expect(() => syntheticSequenceBatch(key, { batchSize: 0, height: 8, width: 8 })).toThrow(
      "syntheticSequenceBatch: 'batchSize' is 0 but expected an integer in [1, 4096].",
    );
    expect(() => seq.srcTransTgt(0, 3)).toThrow(
      "syntheticSequence.srcTransTgt: 'tgt' is 3 but expected an integer in [0, 2].",
    );
  });
});
