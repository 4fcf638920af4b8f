import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { rigid, rotationYawPitchRoll } from '../internal/rigid';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { renderScene } from './render-scene';
import { syntheticNormals, syntheticNormalsBatch, syntheticNormalsSet } from './synthetic-normals';
import type { SceneSurface, SyntheticScene } from './synthetic-scene';
import { syntheticScene } from './synthetic-scene';

const EYE = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const room = syntheticScene(createKey(1), { objects: 0 });
const texture = room.surfaces[0]!.texture;

describe('renderScene normals', () => {
  it('a wall facing the camera has normal (0, 0, -1), the ground below a level camera (0, -1, 0)', () => {
    const K = intrinsicsFromFov(24, 32, 60);
    const r = renderScene(room, { height: 24, width: 32, K, worldFromCamera: EYE, samples: 1 });
    let back = 0;
    let ground = 0;
    for (let p = 0; p < 24 * 32; p++) {
      const n = Array.from(r.normal.subarray(3 * p, 3 * p + 3));
      if (r.surface[p] === 4) {
        expect(n).toEqual([0, 0, -1]);
        back++;
      }
      if (r.surface[p] === 0) {
        expect(n).toEqual([0, -1, 0]);
        ground++;
      }
    }
    expect(back).toBeGreaterThan(20);
    expect(ground).toBeGreaterThan(20);
  });

  it("a sphere's normals are (hit - centre) / r turned into the camera frame (naive loop)", () => {
    const centre = [0.3, 0.2, 5] as const;
    const radius = 1.2;
    const sphere: SceneSurface = {
      kind: 'sphere',
      centre,
      radius,
      yaw: 0.7,
      texture,
      velocity: [0, 0, 0],
      yawRate: 0,
    };
    const scene: SyntheticScene = { surfaces: [sphere], light: [0, -1, 0], ambient: 0.4, groundY: 2 };
    const R = rotationYawPitchRoll(0.1, -0.15, 0.05);
    const pose = rigid(R, [0.2, -0.3, 0.4]);
    const [H, W] = [20, 24];
    const K = intrinsicsFromFov(H, W, 60);
    const r = renderScene(scene, { height: H, width: W, K, worldFromCamera: pose, samples: 1 });
    let hits = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        if (r.surface[p] !== 0) {
          expect(Array.from(r.normal.subarray(3 * p, 3 * p + 3))).toEqual([0, 0, 0]);
          continue;
        }
        hits++;
        // the camera point depth · K^-1 [x, y, 1], into the world, minus the centre
        const z = r.depth[p]!;
        const c = [((x - K[2]!) / K[0]!) * z, ((y - K[5]!) / K[4]!) * z, z];
        const world = [0, 1, 2].map(
          (i) => R[3 * i]! * c[0]! + R[3 * i + 1]! * c[1]! + R[3 * i + 2]! * c[2]! + pose[4 * i + 3]!,
        );
        const nWorld = world.map((v, i) => (v - centre[i]!) / radius);
        // into the camera: R^T n
        const expected = [0, 1, 2].map(
          (j) => R[j]! * nWorld[0]! + R[3 + j]! * nWorld[1]! + R[6 + j]! * nWorld[2]!,
        );
        for (let i = 0; i < 3; i++) expect(r.normal[3 * p + i]).toBeCloseTo(expected[i]!, 3);
      }
    }
    expect(hits).toBeGreaterThan(50);
  });

  it("a turning box's normals are its face normals at the render time", () => {
    const yaw = 0.3;
    const yawRate = 0.4;
    const time = 0.5;
    const box: SceneSurface = {
      kind: 'box',
      centre: [0, 0, 6],
      halfSize: [1, 0.8, 0.6],
      yaw,
      texture,
      velocity: [0.2, 0, 0],
      yawRate,
    };
    const scene: SyntheticScene = { surfaces: [box], light: [0, -1, 0], ambient: 0.4, groundY: 2 };
    const pose = rigid(rotationYawPitchRoll(0, -0.3, 0), [0, -1.5, 0]);
    const [H, W] = [16, 16];
    const K = intrinsicsFromFov(H, W, 50);
    const r = renderScene(scene, { height: H, width: W, K, worldFromCamera: pose, samples: 1, time });
    const a = yaw + yawRate * time;
    // world face normals Ry(a) e_x, e_y, Ry(a) e_z and their negatives, turned into the camera (R^T)
    const world = [
      [Math.cos(a), 0, -Math.sin(a)],
      [0, 1, 0],
      [Math.sin(a), 0, Math.cos(a)],
    ];
    const faces = world.flatMap((n) => [n, n.map((v) => -v)]);
    const toCamera = (n: number[]) =>
      [0, 1, 2].map((j) => pose[j]! * n[0]! + pose[4 + j]! * n[1]! + pose[8 + j]! * n[2]!);
    const seen = new Set<number>();
    for (let p = 0; p < H * W; p++) {
      if (r.surface[p] !== 0) continue;
      const n = Array.from(r.normal.subarray(3 * p, 3 * p + 3));
      const match = faces.findIndex((f) => toCamera(f).every((v, i) => Math.abs(v - n[i]!) < 1e-5));
      expect(match).toBeGreaterThanOrEqual(0);
      seen.add(match);
    }
    expect(seen.size).toBeGreaterThanOrEqual(2); // the top and at least one side from above
  });
});

describe('syntheticNormals', () => {
  const [H, W] = [32, 48];
  const view = syntheticNormals(createKey(3), { height: H, width: W });

  it('gives unit normals facing the camera wherever a surface was hit', () => {
    const K = view.K;
    let valid = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const [nx, ny, nz] = [view.normal[3 * p]!, view.normal[3 * p + 1]!, view.normal[3 * p + 2]!];
        expect(view.valid[p]).toBe(1);
        valid++;
        expect(Math.hypot(nx, ny, nz)).toBeCloseTo(1, 5);
        const ray = [(x - K[2]!) / K[0]!, (y - K[5]!) / K[4]!, 1];
        expect(nx * ray[0]! + ny * ray[1]! + nz * ray[2]!).toBeLessThan(0);
      }
    }
    expect(valid).toBe(H * W);
    expect(view.image.length).toBe(H * W * 3);
    expect(view.image.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('is deterministic in its key; grayscale is the luma of the RGB view', () => {
    const again = syntheticNormals(createKey(3), { height: H, width: W });
    expect(again.normal).toEqual(view.normal);
    expect(again.image).toEqual(view.image);
    expect(syntheticNormals(createKey(4), { height: H, width: W }).normal).not.toEqual(view.normal);
    const grey = syntheticNormals(createKey(3), { height: H, width: W, grayscale: true });
    expect(grey.channels).toBe(1);
    expect(grey.normal).toEqual(view.normal);
    for (const p of [0, 100, 777]) {
      const luma =
        0.2989 * view.image[3 * p]! + 0.587 * view.image[3 * p + 1]! + 0.114 * view.image[3 * p + 2]!;
      expect(grey.image[p]).toBeCloseTo(luma, 6);
    }
  });

  it('batches as tensors without leaks; a set holds the same examples as the batch', async () => {
    const options = { height: 6, width: 8, grayscale: true, objects: 3 };
    const count = await expectNoLeaks(() => {
      const batch = syntheticNormalsBatch(createKey(2), { batchSize: 3, ...options });
      expect(batch.image.shape).toEqual([3, 6, 8, 1]);
      expect(batch.normal.shape).toEqual([3, 6, 8, 3]);
      expect(batch.valid.shape).toEqual([3, 6, 8, 1]);
      expect(batch.K.shape).toEqual([3, 3, 3]);
      return batch;
    });
    expect(count).toBe(5);
    const batch = syntheticNormalsBatch(createKey(2), { batchSize: 3, ...options });
    const set = syntheticNormalsSet(createKey(2), { count: 3, ...options });
    expect(set.normals).toEqual(await batch.normal.data());
    expect(set.images).toEqual(await batch.image.data());
    const before = tf.memory().numTensors;
    const picked = set.batch([2, 0]);
    expect(picked.normal.shape).toEqual([2, 6, 8, 3]);
    expect(Array.from(await picked.normal.data()).slice(0, 144)).toEqual(
      Array.from(set.normals.subarray(288)),
    );
    tf.dispose([
      picked.image,
      picked.normal,
      picked.valid,
      batch.image,
      batch.normal,
      batch.valid,
      batch.depth,
      batch.K,
    ]);
    expect(tf.memory().numTensors).toBe(before - 5);
  });

  it('rejects bad options with typed errors', () => {
    expect(() => syntheticNormals(createKey(0), { height: 8, width: 8, grayscale: 1 as never })).toThrow(
      "syntheticNormals: 'grayscale' is 1 but expected a boolean.",
    );
    expect(() => syntheticNormalsSet(createKey(0), { height: 8, width: 8, count: 0 })).toThrow(
      "syntheticNormalsSet: 'count' is 0 but expected an integer in [1, 100000].",
    );
    const set = syntheticNormalsSet(createKey(0), { height: 2, width: 2, count: 2, objects: 0 });
    expect(() => set.batch([2])).toThrow(/syntheticNormalsSet\.batch: 'indices\[0\]' is 2/);
  });
});
