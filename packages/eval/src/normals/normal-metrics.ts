import { checkOptions, checkShape, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkMask, checkSomeValid, readMask } from '../internal/masks';
import { angularError } from './angular-error';

/** Options of {@link normalMetrics}. */
export interface NormalMetricsOptions {
  /** `[B, H, W, 1]` float 0/1 (int32 and bool work too): only pixels with value > 0.5 count. Default all. */
  readonly valid?: tf.Tensor;
}

/** What {@link normalMetrics} returns: angles in degrees, shares in percent of the valid pixels. */
export interface NormalMetrics {
  /** Mean angular error over the valid pixels, degrees. */
  readonly mean: number;
  /** Median angular error (numpy's: the mean of the two middle values for an even count), degrees. */
  readonly median: number;
  /** Percentage of valid pixels with error < 11.25°. */
  readonly within11_25: number;
  /** Percentage of valid pixels with error < 22.5°. */
  readonly within22_5: number;
  /** Percentage of valid pixels with error < 30°. */
  readonly within30: number;
  /** Number of valid pixels. */
  readonly count: number;
}

const OP = 'normalMetrics';

/**
 * Surface-normal accuracy over all valid pixels of the batch (pooled, not averaged per image), the
 * protocol of the NYU normal benchmarks: with `θ` the {@link angularError} in degrees,
 * `mean = Σ_valid θ / n`, `median = median_valid θ`, `within_t = 100 · |{θ < t}| / n` for
 * t = 11.25°, 22.5°, 30°, where n is the number of valid pixels. Reductions in float64 on the host.
 *
 * @param pred - predicted normals `[B, H, W, 3]`, float32, any length (compared by direction only)
 * @param gt - true normals `[B, H, W, 3]`, float32
 * @param options - `{ valid? }`: a `[B, H, W, 1]` mask; pixels with value > 0.5 count
 * @returns a promise of {@link NormalMetrics} (plain numbers)
 * @throws ShapeError when a shape is not as above or the B, H, W sizes differ; DTypeError for a bad
 *   dtype; ArgumentError for an unknown option or when no pixel is valid
 * @example
 * ```ts
 * const m = await normalMetrics(pred, gt, { valid });
 * console.log(m.mean.toFixed(1), m.median.toFixed(1), m.within11_25.toFixed(1)); // degrees, degrees, %
 * ```
 * @see Doersch, Gupta and Efros, "Unsupervised Visual Representation Learning by Context Prediction",
 *   ICCV 2015 (surface normals on NYUv2: mean / median error, % within 11.25°, 22.5°, 30°)
 */
export async function normalMetrics(
  pred: tf.Tensor,
  gt: tf.Tensor,
  options?: NormalMetricsOptions,
): Promise<NormalMetrics> {
  const { valid } = checkOptions(options, ['valid'], { op: OP });
  const dims = shapeBindings();
  checkShape(pred, ['B', 'H', 'W', 3], { op: OP, arg: 'pred', bindings: dims });
  checkShape(gt, ['B', 'H', 'W', 3], { op: OP, arg: 'gt', bindings: dims });
  checkMask(valid, OP, 'valid', dims);
  const errors = angularError(pred, gt);
  let angles: Float32Array;
  try {
    angles = (await errors.data()) as Float32Array;
  } finally {
    errors.dispose();
  }
  const mask = await readMask(valid, angles.length);
  const kept: number[] = [];
  let sum = 0;
  let within11 = 0;
  let within22 = 0;
  let within30 = 0;
  for (let i = 0; i < angles.length; i++) {
    if (mask[i] === 0) continue;
    const theta = angles[i]!;
    kept.push(theta);
    sum += theta;
    if (theta < 11.25) within11++;
    if (theta < 22.5) within22++;
    if (theta < 30) within30++;
  }
  const n = kept.length;
  checkSomeValid(n, OP, 'valid');
  kept.sort((a, b) => a - b);
  const mid = n >> 1;
  return {
    mean: sum / n,
    median: n % 2 === 1 ? kept[mid]! : (kept[mid - 1]! + kept[mid]!) / 2,
    within11_25: (100 * within11) / n,
    within22_5: (100 * within22) / n,
    within30: (100 * within30) / n,
    count: n,
  };
}
