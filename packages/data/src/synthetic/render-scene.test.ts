import { createKey } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { renderScene } from './render-scene';
import { syntheticScene } from './synthetic-scene';

const EYE = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

describe('syntheticScene', () => {
  it('is deterministic in its key and keeps objects away from keepOut points', () => {
    const keepOut = [
      [0, 0, 0],
      [0.5, 0, 3],
    ] as const;
    const a = syntheticScene(createKey(5), { objects: 12, keepOut });
    expect(syntheticScene(createKey(5), { objects: 12, keepOut })).toEqual(a);
    expect(syntheticScene(createKey(6), { objects: 12, keepOut })).not.toEqual(a);
    expect(a.surfaces.slice(0, 6).every((s) => s.kind === 'plane')).toBe(true);
    const objects = a.surfaces.slice(6);
    expect(objects.length).toBeGreaterThan(6);
    for (const s of objects) {
      if (s.kind === 'plane') throw new Error('planes come first');
      const reach = s.kind === 'sphere' ? s.radius : Math.hypot(s.halfSize[0], s.halfSize[2]);
      for (const p of keepOut)
        expect(Math.hypot(s.centre[0] - p[0], s.centre[2] - p[2])).toBeGreaterThan(reach + 1);
    }
  });

  it('rejects bad options', () => {
    expect(() => syntheticScene(createKey(0), { objects: 65 })).toThrow(
      "syntheticScene: 'objects' is 65 but expected an integer in [0, 64].",
    );
    expect(() => syntheticScene(createKey(0), { keepOut: [] })).toThrow(/syntheticScene: 'keepOut'/);
  });
});

describe('renderScene', () => {
  const scene = syntheticScene(createKey(1), { objects: 0 });
  const back = scene.surfaces[4]!;
  const ground = scene.surfaces[0]!;
  const K = intrinsicsFromFov(24, 32, 60);

  it('gives z-depth along the optical axis, not ray length: a fronto-parallel wall has constant depth', () => {
    // an empty room seen from the origin along +z: the back wall is the plane z = offset
    const r = renderScene(scene, { height: 24, width: 32, K, worldFromCamera: EYE, samples: 1 });
    if (back.kind !== 'plane' || ground.kind !== 'plane') throw new Error('room layout changed');
    let onBack = 0;
    for (let p = 0; p < 24 * 32; p++) {
      if (r.surface[p] === 4) {
        expect(r.depth[p]).toBeCloseTo(back.offset, 3);
        onBack++;
      }
    }
    expect(onBack).toBeGreaterThan(20);
    // the ground below the horizon: depth = groundY · fy / (y - cy) exactly (ray through the pixel centre)
    const y = 23;
    expect(r.surface[y * 32 + 16]).toBe(0);
    expect(r.depth[y * 32 + 16]).toBeCloseTo((ground.offset * K[4]!) / (y - K[5]!), 3);
  });

  it('supersamples: more samples smooth the image but keep its mean', () => {
    const one = renderScene(scene, { height: 24, width: 32, K, worldFromCamera: EYE, samples: 1 });
    const three = renderScene(scene, { height: 24, width: 32, K, worldFromCamera: EYE, samples: 3 });
    expect(three.depth).toEqual(one.depth); // the centre ray is one of 3x3 samples
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(three.image) - mean(one.image))).toBeLessThan(0.02);
  });

  it('rejects bad K and poses', () => {
    expect(() =>
      renderScene(scene, { height: 4, width: 4, K: [1, 0, 0, 0, 1, 0, 0, 0], worldFromCamera: EYE }),
    ).toThrow("renderScene: 'K' is [1,0,0,0,1,0,…] but expected 9 finite numbers, [3, 3] row-major.");
    expect(() =>
      renderScene(scene, { height: 4, width: 4, K: [-1, 0, 0, 0, 1, 0, 0, 0, 1], worldFromCamera: EYE }),
    ).toThrow(/renderScene: 'K' is \[-1,0,0,0,1,0,0,0,1\] but expected intrinsics/);
  });
});
