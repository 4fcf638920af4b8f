import { checkInteger, checkNumber } from '@genoise/core';

/**
 * Pinhole intrinsics from a horizontal field of view, square pixels, principal point at the image
 * centre (pixel centres at integers):
 * `fx = fy = (width / 2) / tan(fov / 2)`, `cx = (width - 1) / 2`, `cy = (height - 1) / 2`.
 *
 * @param height - image height in pixels, a positive integer
 * @param width - image width in pixels, a positive integer
 * @param fovDegrees - horizontal field of view in degrees, in (0, 170]. Default `80`.
 * @returns `K` `[3, 3]` row-major as a Float32Array of 9: `[fx, 0, cx, 0, fy, cy, 0, 0, 1]`
 * @throws ArgumentError for a bad size or field of view
 * @example
 * ```ts
 * intrinsicsFromFov(128, 416, 90); // Float32Array [208, 0, 207.5, 0, 208, 63.5, 0, 0, 1]
 * ```
 */
export function intrinsicsFromFov(height: number, width: number, fovDegrees = 80): Float32Array {
  checkInteger(height, { op: 'intrinsicsFromFov', arg: 'height', min: 1 });
  checkInteger(width, { op: 'intrinsicsFromFov', arg: 'width', min: 1 });
  checkNumber(fovDegrees, {
    op: 'intrinsicsFromFov',
    arg: 'fovDegrees',
    min: 0,
    max: 170,
    exclusiveMin: true,
  });
  const f = width / 2 / Math.tan((fovDegrees * Math.PI) / 360);
  return Float32Array.of(f, 0, (width - 1) / 2, 0, f, (height - 1) / 2, 0, 0, 1);
}
