import {
  ArgumentError,
  checkBoolean,
  checkDType,
  checkNumber,
  checkShape,
  shapeBindings,
} from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Options of {@link depthMetrics}. */
export interface DepthMetricsOptions {
  /** Pixels with ground truth at or below it are ignored; predictions are clamped up to it. Default 1e-3. */
  readonly minDepth?: number;
  /** Pixels with ground truth at or above it are ignored; predictions are clamped down to it. Default 80. */
  readonly maxDepth?: number;
  /**
   * Scale each image's prediction by `median(gt) / median(pred)` over its valid pixels before clamping
   * (monocular methods, whose depth has no metric scale). Default false.
   */
  readonly medianScaling?: boolean;
  /** `[B, H, W, 1]`, any dtype: only pixels where it is non-zero count (e.g. a crop or LiDAR mask). */
  readonly mask?: tf.Tensor;
}

/** What {@link depthMetrics} returns: each error is the mean over images of the per-image value. */
export interface DepthMetrics {
  /** Mean absolute relative error `mean(|gt - pred| / gt)`. */
  readonly absRel: number;
  /** Mean squared relative error `mean((gt - pred)^2 / gt)`. */
  readonly sqRel: number;
  /** Root mean squared error `sqrt(mean((gt - pred)^2))`, in depth units. */
  readonly rmse: number;
  /** `sqrt(mean((ln gt - ln pred)^2))`. */
  readonly rmseLog: number;
  /** Share of pixels with `max(gt/pred, pred/gt) < 1.25`. */
  readonly a1: number;
  /** Same with `1.25^2`. */
  readonly a2: number;
  /** Same with `1.25^3`. */
  readonly a3: number;
  /** Per-image `median(gt) / median(pred)` when `medianScaling` is on (one per image, in batch order). */
  readonly medianRatios?: number[];
}

const OP = 'depthMetrics';

/** numpy's median: the middle value, or the mean of the two middle values for an even count. */
function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Depth errors and accuracies as Monodepth2's evaluation computes them (`compute_depth_errors`), per
 * image and then averaged over the batch:
 * valid pixels are `minDepth < gt < maxDepth` (and `mask != 0`); with `medianScaling`,
 * `pred <- pred * median(gt) / median(pred)` over the valid pixels of that image; then
 * `pred <- clamp(pred, minDepth, maxDepth)` and
 * `absRel = mean(|gt - pred| / gt)`, `sqRel = mean((gt - pred)^2 / gt)`, `rmse = sqrt(mean((gt - pred)^2))`,
 * `rmseLog = sqrt(mean((ln gt - ln pred)^2))`, `a_k = mean(max(gt/pred, pred/gt) < 1.25^k)`, k = 1, 2, 3.
 * Computed in float64 on the host after one `await data()` per tensor; creates no tensors.
 *
 * The prediction must already be at the ground truth's size (Monodepth2 resizes it bilinearly first)
 * and in the same units (convert network disparities with `disparityToDepth` from `@genoise/models`).
 *
 * @param pred - predicted depth `[B, H, W, 1]`, float32
 * @param gt - ground-truth depth `[B, H, W, 1]`, float32; pixels outside (minDepth, maxDepth) are ignored
 * @param options - see {@link DepthMetricsOptions}
 * @returns a promise of {@link DepthMetrics} (plain numbers)
 * @throws ShapeError when the shapes differ or are not `[B, H, W, 1]`; ArgumentError for bad options, an
 *   image with no valid pixel, a NaN prediction at a valid pixel, or (median scaling) a non-positive
 *   median prediction
 * @example
 * ```ts
 * const gt = tf.fill([1, 4, 4, 1], 10);
 * const m = await depthMetrics(tf.mul(gt, 2), gt, { medianScaling: true });
 * // m.absRel === 0, m.a1 === 1, m.medianRatios = [0.5]
 * ```
 * @see Godard et al., Monodepth2, ICCV 2019, https://arxiv.org/abs/1806.01260 (`evaluate_depth.py`);
 *   Eigen et al., "Depth Map Prediction from a Single Image using a Multi-Scale Deep Network", NIPS 2014
 */
export async function depthMetrics(
  pred: tf.Tensor,
  gt: tf.Tensor,
  options: DepthMetricsOptions = {},
): Promise<DepthMetrics> {
  const bindings = shapeBindings();
  checkShape(pred, ['B', 'H', 'W', 1], { op: OP, arg: 'pred', bindings });
  checkShape(gt, ['B', 'H', 'W', 1], { op: OP, arg: 'gt', bindings });
  checkDType(pred, ['float32'], { op: OP, arg: 'pred' });
  checkDType(gt, ['float32'], { op: OP, arg: 'gt' });
  const { minDepth = 1e-3, maxDepth = 80, medianScaling = false, mask } = options ?? {};
  if (mask !== undefined) checkShape(mask, ['B', 'H', 'W', 1], { op: OP, arg: 'mask', bindings });
  checkNumber(minDepth, { op: OP, arg: 'minDepth', min: 0, exclusiveMin: true });
  if (typeof maxDepth !== 'number' || !Number.isFinite(maxDepth) || maxDepth <= minDepth) {
    throw new ArgumentError({
      op: OP,
      argument: 'maxDepth',
      expected: `a finite number > minDepth (${minDepth})`,
      actual: String(maxDepth),
    });
  }
  checkBoolean(medianScaling, { op: OP, arg: 'medianScaling' });

  const [p, g, m] = await Promise.all([pred.data(), gt.data(), mask?.data()]);
  const batch = pred.shape[0]!;
  const pixels = pred.size / batch;
  const sums = { absRel: 0, sqRel: 0, rmse: 0, rmseLog: 0, a1: 0, a2: 0, a3: 0 };
  const medianRatios: number[] = [];
  const where = `gt in (${minDepth}, ${maxDepth})${mask === undefined ? '' : ' and mask != 0'}`;
  for (let b = 0; b < batch; b++) {
    const start = b * pixels;
    const validGt: number[] = [];
    const validPred: number[] = [];
    for (let i = start; i < start + pixels; i++) {
      const t = g[i]!;
      if (!(t > minDepth && t < maxDepth) || (m !== undefined && m[i] === 0)) continue;
      const q = p[i]!;
      if (Number.isNaN(q)) {
        throw new ArgumentError({
          op: OP,
          argument: 'pred',
          message: `${OP}: 'pred' is NaN at a valid pixel of image ${b} (flat index ${i}); predictions must be numbers.`,
        });
      }
      validGt.push(t);
      validPred.push(q);
    }
    const n = validGt.length;
    if (n === 0) {
      throw new ArgumentError({
        op: OP,
        argument: 'gt',
        message: `${OP}: image ${b} has no valid pixels (${where}); every image needs at least one.`,
      });
    }
    let ratio = 1;
    if (medianScaling) {
      const medianPred = median(Float64Array.from(validPred));
      ratio = median(Float64Array.from(validGt)) / medianPred;
      if (!(medianPred > 0) || !Number.isFinite(ratio)) {
        throw new ArgumentError({
          op: OP,
          argument: 'pred',
          message: `${OP}: the median prediction of image ${b} is ${medianPred}; median scaling needs a positive median over the valid pixels.`,
        });
      }
      medianRatios.push(ratio);
    }
    let absRel = 0;
    let sqRel = 0;
    let squared = 0;
    let squaredLog = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < n; j++) {
      const t = validGt[j]!;
      const q = Math.min(Math.max(validPred[j]! * ratio, minDepth), maxDepth);
      const diff = t - q;
      absRel += Math.abs(diff) / t;
      sqRel += (diff * diff) / t;
      squared += diff * diff;
      const logDiff = Math.log(t) - Math.log(q);
      squaredLog += logDiff * logDiff;
      const thresh = Math.max(t / q, q / t);
      if (thresh < 1.25) a1++;
      if (thresh < 1.25 ** 2) a2++;
      if (thresh < 1.25 ** 3) a3++;
    }
    sums.absRel += absRel / n;
    sums.sqRel += sqRel / n;
    sums.rmse += Math.sqrt(squared / n);
    sums.rmseLog += Math.sqrt(squaredLog / n);
    sums.a1 += a1 / n;
    sums.a2 += a2 / n;
    sums.a3 += a3 / n;
  }
  const result = {
    absRel: sums.absRel / batch,
    sqRel: sums.sqRel / batch,
    rmse: sums.rmse / batch,
    rmseLog: sums.rmseLog / batch,
    a1: sums.a1 / batch,
    a2: sums.a2 / batch,
    a3: sums.a3 / batch,
  };
  return medianScaling ? { ...result, medianRatios } : result;
}
