import { ArgumentError, describeValue } from '@genoise/core';

import { invertRigid, mul4 } from '../internal/rigid';

function checkPose(value: unknown, argument: string): asserts value is ArrayLike<number> {
  const ok =
    (Array.isArray(value) || ArrayBuffer.isView(value)) &&
    (value as ArrayLike<unknown>).length === 16 &&
    Array.from(value as ArrayLike<unknown>).every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) {
    throw new ArgumentError({
      op: 'relativePose',
      argument,
      expected: 'a rigid 4x4 matrix as 16 finite numbers, row-major',
      actual: describeValue(value),
    });
  }
}

/**
 * The pose `srcTransTgt` between two camera-to-world poses: `inverse(worldFromSrc) · worldFromTgt`,
 * which maps points in the target camera's frame into the source camera's frame, so
 * `p_s ~ K · srcTransTgt · D(p_t) · K^-1 · p_t` (the pinned convention). The inverse is the closed
 * rigid form `[R^T, -R^T t]`.
 *
 * @param worldFromSrc - the source camera's pose, `[4, 4]` row-major (16 numbers)
 * @param worldFromTgt - the target camera's pose, `[4, 4]` row-major
 * @returns `srcTransTgt` `[4, 4]` row-major as a Float32Array of 16
 * @throws ArgumentError when a pose is not 16 finite numbers
 * @example
 * ```ts
 * const seq = syntheticSequence(createKey(0), { height: 96, width: 320 });
 * const pose = relativePose(seq.worldFromCamera.subarray(0, 16), seq.worldFromCamera.subarray(16, 32));
 * ```
 */
export function relativePose(worldFromSrc: ArrayLike<number>, worldFromTgt: ArrayLike<number>): Float32Array {
  checkPose(worldFromSrc, 'worldFromSrc');
  checkPose(worldFromTgt, 'worldFromTgt');
  return Float32Array.from(mul4(invertRigid(worldFromSrc), worldFromTgt));
}
