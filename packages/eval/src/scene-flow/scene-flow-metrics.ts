import {
  ArgumentError,
  checkDType,
  checkOptions,
  checkShape,
  describeValue,
  type ShapeBindings,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { endPointError } from '../flow/end-point-error';
import { checkMask, checkSomeValid, readMask } from '../internal/masks';
import { isOutlier } from '../internal/outliers';

/** Disparities at both times, optical flow and (optionally) scene flow, all in frame 1's pixel grid. */
export interface SceneFlowFields {
  /** `[B, H, W, 1]` disparity of frame 1 at time t, in pixels. */
  readonly disparity1: tf.Tensor;
  /** `[B, H, W, 1]` disparity at time t+1 of the points seen at frame 1's pixels (KITTI's `disp_1`), in pixels. */
  readonly disparity2: tf.Tensor;
  /** `[B, H, W, 2]` optical flow from frame 1 to frame 2, in pixels. */
  readonly flow: tf.Tensor;
  /** `[B, H, W, 3]` 3-D motion of each frame-1 point, in scene units. Optional. */
  readonly sceneFlow?: tf.Tensor;
}

/** Options of {@link sceneFlowMetrics}: the prediction's fields, `truth` with the same fields, and `valid`. */
export interface SceneFlowMetricsOptions extends SceneFlowFields {
  /** The ground truth, the same fields and shapes (`sceneFlow` exactly when the prediction has it). */
  readonly truth: SceneFlowFields;
  /** `[B, H, W, 1]` float 0/1 (int32 and bool work too): pixels with ground truth (value > 0.5). Default all. */
  readonly valid?: tf.Tensor;
}

/** What {@link sceneFlowMetrics} returns: outlier rates as shares in [0, 1] of the valid pixels. */
export interface SceneFlowMetrics {
  /** Disparity outliers at t: `|d1 - d1*| > 3 px` and `> 5%` of `d1*`. */
  readonly d1: number;
  /** Disparity outliers at t+1 (the same test on `disparity2`). */
  readonly d2: number;
  /** Flow outliers: EPE > 3 px and > 5% of the true flow's length (KITTI Fl). */
  readonly fl: number;
  /** Pixels that are an outlier in any of D1, D2, Fl. */
  readonly sf1: number;
  /** Mean 3-D end-point error `||s - s*||` in scene units, when scene flow is given. */
  readonly epe3d?: number;
  /** Number of valid pixels, the denominator of every field. */
  readonly count: number;
}

const OP = 'sceneFlowMetrics';
const FIELDS = ['disparity1', 'disparity2', 'flow', 'sceneFlow'] as const;
const CHANNELS = { disparity1: 1, disparity2: 1, flow: 2, sceneFlow: 3 } as const;

function checkFields(
  fields: unknown,
  prefix: string,
  dims: ShapeBindings,
): asserts fields is SceneFlowFields {
  if (fields === null || typeof fields !== 'object') {
    throw new ArgumentError({
      op: OP,
      argument: prefix === '' ? 'options' : 'truth',
      expected: '{ disparity1, disparity2, flow, sceneFlow? }',
      actual: describeValue(fields),
    });
  }
  for (const name of FIELDS) {
    const value = (fields as Record<string, unknown>)[name];
    if (name === 'sceneFlow' && value === undefined) continue;
    const arg = `${prefix}${name}`;
    checkShape(value, ['B', 'H', 'W', CHANNELS[name]], { op: OP, arg, bindings: dims });
    checkDType(value, ['float32'], { op: OP, arg });
  }
}

/**
 * Scene-flow outlier rates of KITTI 2015 (as self-mono-sf reports them), pooled over the valid pixels
 * of the batch: a pixel is a D1 outlier when `|d1 - d1*| > 3 ∧ |d1 - d1*| > 0.05 · |d1*|` (disparity
 * at t), a D2 outlier by the same test on the disparity at t+1 of frame 1's pixels, an Fl outlier when
 * `e > 3 ∧ e > 0.05 · ||f*||` with `e = ||f - f*||`, and an SF1 outlier when it is any of the three;
 * each rate is the outlier count divided by the number of valid pixels V (the mask's sum, not the
 * pixel count). With scene flow, `epe3d = Σ_V ||s - s*|| / |V|`. Strict inequalities, as the KITTI
 * devkit. Reductions in float64 on the host.
 *
 * @param options - see {@link SceneFlowMetricsOptions}: the prediction `{ disparity1, disparity2, flow,
 *   sceneFlow? }` (`[B, H, W, 1]`, `[B, H, W, 1]`, `[B, H, W, 2]`, `[B, H, W, 3]`, float32, pixels and
 *   scene units), `truth` with the same fields, `valid?` `[B, H, W, 1]`
 * @returns a promise of {@link SceneFlowMetrics} (`epe3d` only when both have scene flow)
 * @throws ShapeError when a field's shape is not as above or the B, H, W sizes differ; DTypeError for a
 *   bad dtype; ArgumentError when only one side has `sceneFlow`, for an unknown key, or when no pixel
 *   is valid
 * @example
 * ```ts
 * const m = await sceneFlowMetrics({ disparity1, disparity2, flow, sceneFlow, truth, valid });
 * console.log(`D1 ${(100 * m.d1).toFixed(1)}%  SF1 ${(100 * m.sf1).toFixed(1)}%  EPE3d ${m.epe3d}`);
 * ```
 * @see Menze and Geiger, "Object Scene Flow for Autonomous Vehicles", CVPR 2015 (D1, D2, Fl, SF)
 * @see Hur and Roth, "Self-Supervised Monocular Scene Flow Estimation", CVPR 2020
 */
export async function sceneFlowMetrics(options: SceneFlowMetricsOptions): Promise<SceneFlowMetrics> {
  const { truth, valid, ...pred } = checkOptions(options, [...FIELDS, 'truth', 'valid'], { op: OP });
  const dims = shapeBindings();
  checkFields(pred, '', dims);
  checkFields(truth, 'truth.', dims);
  checkMask(valid, OP, 'valid', dims);
  if ((pred.sceneFlow === undefined) !== (truth.sceneFlow === undefined)) {
    const [has, lacks] =
      pred.sceneFlow === undefined ? ['truth', 'the prediction'] : ['the prediction', 'truth'];
    throw new ArgumentError({
      op: OP,
      argument: 'sceneFlow',
      message: `${OP}: ${has} has 'sceneFlow' but ${lacks} has not; give it on both sides for the 3-D EPE, or on neither.`,
    });
  }
  const withSceneFlow = pred.sceneFlow !== undefined;
  const maps = tf.tidy(() => {
    const out = [
      tf.abs(tf.sub(pred.disparity1, truth.disparity1)),
      tf.abs(tf.sub(pred.disparity2, truth.disparity2)),
      endPointError(pred.flow, truth.flow),
      tf.sqrt(tf.sum(tf.square(truth.flow), 3)),
    ];
    if (withSceneFlow) out.push(endPointError3d(pred.sceneFlow!, truth.sceneFlow!));
    return out;
  });
  let values: Float32Array[];
  let gt: [Float32Array, Float32Array];
  try {
    values = (await Promise.all(maps.map((m) => m.data()))) as Float32Array[];
    gt = (await Promise.all([truth.disparity1.data(), truth.disparity2.data()])) as [
      Float32Array,
      Float32Array,
    ];
  } finally {
    tf.dispose(maps);
  }
  const [e1, e2, flowError, flowLength, error3d] = values;
  const size = e1!.length;
  const mask = await readMask(valid, size);
  let count = 0;
  let d1 = 0;
  let d2 = 0;
  let fl = 0;
  let sf1 = 0;
  let sum3d = 0;
  for (let i = 0; i < size; i++) {
    if (mask[i] === 0) continue;
    count++;
    const o1 = isOutlier(e1![i]!, Math.abs(gt[0][i]!));
    const o2 = isOutlier(e2![i]!, Math.abs(gt[1][i]!));
    const of = isOutlier(flowError![i]!, flowLength![i]!);
    if (o1) d1++;
    if (o2) d2++;
    if (of) fl++;
    if (o1 || o2 || of) sf1++;
    if (error3d !== undefined) sum3d += error3d[i]!;
  }
  checkSomeValid(count, OP, 'valid');
  const rates = { d1: d1 / count, d2: d2 / count, fl: fl / count, sf1: sf1 / count };
  return withSceneFlow ? { ...rates, epe3d: sum3d / count, count } : { ...rates, count };
}

/** `||a - b||_2` over the last axis, keeping it: `[B, H, W, 3] -> [B, H, W, 1]`. */
function endPointError3d(a: tf.Tensor, b: tf.Tensor): tf.Tensor4D {
  return tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 3, true)) as tf.Tensor4D;
}
