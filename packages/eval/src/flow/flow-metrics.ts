import { checkOptions, checkShape, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMask, checkSomeValid, readMask } from '../internal/masks';
import { isOutlier } from '../internal/outliers';
import { endPointError } from './end-point-error';

/** Options of {@link flowMetrics}. */
export interface FlowMetricsOptions {
  /** `[B, H, W, 1]` float 0/1 (int32 and bool work too): pixels with ground truth (value > 0.5). Default all. */
  readonly valid?: tf.Tensor;
  /** `[B, H, W, 1]` float 0/1: pixels of frame 1 not visible in frame 2 (value > 0.5). Default none. */
  readonly occluded?: tf.Tensor;
}

/** What {@link flowMetrics} returns: EPE in pixels, rates and accuracies as shares in [0, 1]. */
export interface FlowMetrics {
  /** Mean EPE over the valid pixels. */
  readonly epeAll: number;
  /** Mean EPE over the valid, non-occluded pixels (NaN when there are none). */
  readonly epeNoc: number;
  /** Mean EPE over the valid, occluded pixels (NaN when there are none, e.g. without `occluded`). */
  readonly epeOcc: number;
  /** KITTI Fl-all: share of valid pixels with EPE > 3 px and EPE > 5% of `|gt|`. */
  readonly fl: number;
  /** Share of valid pixels with EPE < 1 px. */
  readonly acc1: number;
  /** Share of valid pixels with EPE < 3 px. */
  readonly acc3: number;
  /** Share of valid pixels with EPE < 5 px. */
  readonly acc5: number;
  /** Number of valid pixels (the denominator of every field but `epeNoc` and `epeOcc`). */
  readonly count: number;
  /** Number of valid, non-occluded pixels. */
  readonly nocCount: number;
  /** Number of valid, occluded pixels. */
  readonly occCount: number;
}

const OP = 'flowMetrics';

/**
 * Optical-flow errors over the valid pixels of the batch (pooled over all images, as the KITTI and
 * Sintel evaluations count pixels): with `e = ||pred - gt||_2` ({@link endPointError}) and V the valid
 * pixels, `epeAll = Σ_V e / |V|`; `epeNoc`, `epeOcc` the same over `V ∩ ¬occluded` and `V ∩ occluded`;
 * `fl = |{x ∈ V : e > 3 ∧ e > 0.05 · ||gt||}| / |V|` (KITTI Fl-all, strict as its devkit);
 * `accN = |{x ∈ V : e < N}| / |V|` for N = 1, 3, 5. Reductions in float64 on the host.
 *
 * @param pred - predicted flow `[B, H, W, 2]` (u, v) in pixels, float32
 * @param gt - true flow `[B, H, W, 2]`, float32
 * @param options - `{ valid?, occluded? }`, masks `[B, H, W, 1]` (value > 0.5 counts)
 * @returns a promise of {@link FlowMetrics} (plain numbers)
 * @throws ShapeError when a shape is not as above or the B, H, W sizes differ; DTypeError for a bad
 *   dtype; ArgumentError for an unknown option or when no pixel is valid
 * @example
 * ```ts
 * const m = await flowMetrics(flow, truth.flow, { valid: truth.valid, occluded: truth.occluded });
 * console.log(`EPE ${m.epeAll.toFixed(2)} px (noc ${m.epeNoc.toFixed(2)}, occ ${m.epeOcc.toFixed(2)}), Fl ${(100 * m.fl).toFixed(1)}%`);
 * ```
 * @see Geiger, Lenz and Urtasun, "Are we ready for Autonomous Driving? The KITTI Vision Benchmark
 *   Suite", CVPR 2012 (Fl; devkit `flow_error`); Menze and Geiger, "Object Scene Flow for Autonomous
 *   Vehicles", CVPR 2015
 */
export async function flowMetrics(
  pred: tf.Tensor,
  gt: tf.Tensor,
  options?: FlowMetricsOptions,
): Promise<FlowMetrics> {
  const { valid, occluded } = checkOptions(options, ['valid', 'occluded'], { op: OP });
  const dims = shapeBindings();
  checkShape(pred, ['B', 'H', 'W', 2], { op: OP, arg: 'pred', bindings: dims });
  checkShape(gt, ['B', 'H', 'W', 2], { op: OP, arg: 'gt', bindings: dims });
  checkMask(valid, OP, 'valid', dims);
  checkMask(occluded, OP, 'occluded', dims);
  const [errorMap, magnitudeMap] = tf.tidy(() => [
    endPointError(pred, gt),
    tf.sqrt(tf.sum(tf.square(gt), 3)), // [B, H, W]
  ]);
  let errors: Float32Array;
  let magnitudes: Float32Array;
  try {
    errors = (await errorMap!.data()) as Float32Array;
    magnitudes = (await magnitudeMap!.data()) as Float32Array;
  } finally {
    tf.dispose([errorMap!, magnitudeMap!]);
  }
  const size = errors.length;
  const validMask = await readMask(valid, size);
  const occludedMask = occluded === undefined ? new Uint8Array(size) : await readMask(occluded, size);
  let count = 0;
  let nocCount = 0;
  let sumAll = 0;
  let sumNoc = 0;
  let sumOcc = 0;
  let outliers = 0;
  let within1 = 0;
  let within3 = 0;
  let within5 = 0;
  for (let i = 0; i < size; i++) {
    if (validMask[i] === 0) continue;
    const e = errors[i]!;
    count++;
    sumAll += e;
    if (occludedMask[i] === 0) {
      nocCount++;
      sumNoc += e;
    } else {
      sumOcc += e;
    }
    if (isOutlier(e, magnitudes[i]!)) outliers++;
    if (e < 1) within1++;
    if (e < 3) within3++;
    if (e < 5) within5++;
  }
  checkSomeValid(count, OP, 'valid');
  const occCount = count - nocCount;
  return {
    epeAll: sumAll / count,
    epeNoc: nocCount > 0 ? sumNoc / nocCount : Number.NaN,
    epeOcc: occCount > 0 ? sumOcc / occCount : Number.NaN,
    fl: outliers / count,
    acc1: within1 / count,
    acc3: within3 / count,
    acc5: within5 / count,
    count,
    nocCount,
    occCount,
  };
}
