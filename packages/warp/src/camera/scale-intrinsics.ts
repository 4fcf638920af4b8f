import { ArgumentError, checkBoolean, checkNumber, checkOptions, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkFloat } from '../internal/checks';

/** Options of {@link scaleIntrinsics}. */
export interface ScaleIntrinsicsOptions {
  /**
   * How the image was resized. `true` (default): pixel areas scale, so pixel centres map as
   * `x' = (x + 0.5) s - 0.5` (average pooling, tfjs `resizeBilinear(..., halfPixelCenters: true)`,
   * PyTorch `interpolate(align_corners=False)`). `false`: `x' = x s` (tfjs `resizeBilinear`'s default,
   * and what monodepth2 and SfMLearner do to their intrinsics).
   */
  readonly halfPixelCenters?: boolean;
}

const OP = 'scaleIntrinsics';

/**
 * Intrinsics of the same camera after resizing its images by `scale` (e.g. `0.5 ** level` for a pyramid
 * level), in genoise's pixel convention (x right, y down, pixel centres at integers).
 *
 * `K' = S K` with `S = [[sx, 0, ox], [0, sy, oy], [0, 0, 1]]`: `fx' = sx fx`, `fy' = sy fy`,
 * `cx' = (cx + 0.5) sx - 0.5`, `cy' = (cy + 0.5) sy - 0.5` (`ox = (sx - 1) / 2`); with
 * `halfPixelCenters: false`, `cx' = sx cx` (`ox = 0`).
 *
 * @param K - float32 `[B, 3, 3]` intrinsics in pixels
 * @param scale - `s > 0` for both axes, or `[sx, sy]` (new size / old size, e.g. `[320 / 640, 96 / 192]`)
 * @param options.halfPixelCenters - default `true`, see {@link ScaleIntrinsicsOptions}
 * @returns float32 `[B, 3, 3]`
 * @throws ShapeError, DTypeError for `K`; ArgumentError for `scale` or the options
 * @example
 * ```ts
 * const pyramid = [0, 1, 2, 3].map((level) => scaleIntrinsics(K, 0.5 ** level));
 * ```
 */
export const scaleIntrinsics = defineOp(
  OP,
  (
    K: tf.Tensor3D,
    scale: number | readonly [number, number],
    options?: ScaleIntrinsicsOptions,
  ): tf.Tensor3D => {
    checkFloat(K, ['B', 3, 3], OP, 'K');
    let sx: number;
    let sy: number;
    if (typeof scale === 'number') {
      checkNumber(scale, { op: OP, arg: 'scale', min: 0, exclusiveMin: true });
      sx = scale;
      sy = scale;
    } else if (Array.isArray(scale) && scale.length === 2) {
      [sx, sy] = scale;
      checkNumber(sx, { op: OP, arg: 'scale[0]', min: 0, exclusiveMin: true });
      checkNumber(sy, { op: OP, arg: 'scale[1]', min: 0, exclusiveMin: true });
    } else {
      throw new ArgumentError({
        op: OP,
        argument: 'scale',
        expected: 'a number > 0 or [sx, sy]',
        actual: Array.isArray(scale) ? `an array of length ${scale.length}` : String(scale),
      });
    }
    const { halfPixelCenters = true } = checkOptions(options, ['halfPixelCenters'], { op: OP });
    checkBoolean(halfPixelCenters, { op: OP, arg: 'halfPixelCenters' });
    const ox = halfPixelCenters ? (sx - 1) / 2 : 0;
    const oy = halfPixelCenters ? (sy - 1) / 2 : 0;
    const S = tf.tensor3d([sx, 0, ox, 0, sy, oy, 0, 0, 1], [1, 3, 3]);
    return tf.matMul(tf.tile(S, [K.shape[0], 1, 1]), K) as tf.Tensor3D;
  },
);
