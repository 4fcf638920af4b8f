import { describe, expect, it } from 'vitest';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { relativePose } from './relative-pose';

describe('relativePose', () => {
  it('is inverse(worldFromSrc) · worldFromTgt: a target one unit ahead of a turned source', () => {
    // source at the origin turned 90° to the right (its z axis = world x), target at world (1, 0, 0)
    const worldFromSrc = [0, 0, 1, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 1];
    const worldFromTgt = [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const T = relativePose(worldFromSrc, worldFromTgt);
    // the target's centre is one unit along the source's optical axis
    expect([T[3], T[7], T[11]]).toEqual([0, 0, 1]);
    // the target's z axis (world z) is the source's -x axis
    expect([T[2], T[6], T[10]]).toEqual([-1, 0, 0]);
    expect(Array.from(relativePose(worldFromTgt, worldFromTgt))).toEqual([
      1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1,
    ]);
    expect(() => relativePose([1, 2, 3], worldFromTgt)).toThrow("relativePose: 'worldFromSrc' is [1,2,3]");
  });
});

describe('intrinsicsFromFov', () => {
  it('puts the principal point at the centre with pixel centres at integers', () => {
    expect(Array.from(intrinsicsFromFov(128, 416, 90))).toEqual([208, 0, 207.5, 0, 208, 63.5, 0, 0, 1]);
    expect(() => intrinsicsFromFov(128, 416, 180)).toThrow(
      "intrinsicsFromFov: 'fovDegrees' is 180 but expected a finite number > 0 and <= 170.",
    );
  });
});
