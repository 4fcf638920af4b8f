import { type SceneFlowMetrics, sceneFlowMetrics } from '@genoise/eval';
import type { SceneFlowNet } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { SceneFlowEvalSet } from './scene-flow-data';
import { sceneFlowGeometry } from './scene-flow-losses';

/** A scene-flow prediction on frame 1's grid, in the metrics' units; the caller disposes it. */
export type SceneFlowPrediction = {
  /** `[N, H, W, 1]` pixels. */
  readonly disparity1: tf.Tensor4D;
  /** `[N, H, W, 1]` pixels: `fx · b / (P + s).z`, the same points' disparity at time 2. */
  readonly disparity2: tf.Tensor4D;
  /** `[N, H, W, 2]` pixels: the optical flow the scene flow induces. */
  readonly flow: tf.Tensor4D;
  /** `[N, H, W, 3]` scene units. */
  readonly sceneFlow: tf.Tensor4D;
};

/**
 * The KITTI quantities of a disparity (fraction of width) and scene flow at full resolution: disparity 1
 * in pixels, disparity 2 `= fx · b / (P + s).z` with `P` the frame-1 points, and the induced flow.
 */
export function sceneFlowFields(
  disparity: tf.Tensor4D,
  sceneFlow: tf.Tensor4D,
  K: tf.Tensor3D,
  baseline: number,
): SceneFlowPrediction {
  return tf.tidy(() => {
    const [batch, , width] = disparity.shape;
    const { moved, flow } = sceneFlowGeometry(disparity, sceneFlow, K, baseline);
    const fx = tf.reshape(tf.slice(K, [0, 0, 0], [batch, 1, 1]), [batch, 1, 1, 1]);
    const z = tf.maximum(tf.slice(moved, [0, 0, 0, 2], [-1, -1, -1, 1]), 1e-3);
    return {
      disparity1: tf.mul(disparity, width) as tf.Tensor4D,
      disparity2: tf.div(tf.mul(fx, baseline), z) as tf.Tensor4D,
      flow,
      sceneFlow: tf.clone(sceneFlow),
    };
  });
}

/**
 * Predicts scene flow from *monocular* input, as self-mono-sf is evaluated: the network sees the left
 * views at times 1 and 2 (and the intrinsics), never a right view; its full-resolution output gives
 * disparity 1, scene flow and from them disparity 2 and the flow ({@link sceneFlowFields}).
 */
export function predictSceneFlow(
  net: SceneFlowNet,
  left1: tf.Tensor4D,
  left2: tf.Tensor4D,
  K: tf.Tensor3D,
  baseline: number,
): SceneFlowPrediction {
  return tf.tidy(() => {
    const estimates = net.apply(left1, left2, { intrinsics: K, baseline });
    const full = estimates[0]!;
    return sceneFlowFields(full.disparity, full.sceneFlow, K, baseline);
  });
}

/**
 * The static-scene baseline: frame 1's disparity from a network and zero 3-D motion, so
 * `sceneFlow = 0`, `disparity2 = disparity1` and `flow = 0` (nothing moves, the camera included).
 */
export function staticScenePrediction(
  net: SceneFlowNet,
  left1: tf.Tensor4D,
  left2: tf.Tensor4D,
  K: tf.Tensor3D,
  baseline: number,
): SceneFlowPrediction {
  return tf.tidy(() => {
    const { disparity } = net.apply(left1, left2, { intrinsics: K, baseline })[0]!;
    return sceneFlowFields(
      disparity,
      tf.zeros([disparity.shape[0], disparity.shape[1], disparity.shape[2], 3]) as tf.Tensor4D,
      K,
      baseline,
    );
  });
}

/** How a prediction is made from a batch of the set (monocular input only). */
export type SceneFlowPredictor = (
  left1: tf.Tensor4D,
  left2: tf.Tensor4D,
  K: tf.Tensor3D,
  baseline: number,
) => SceneFlowPrediction;

/**
 * D1, D2, Fl, SF1 and 3-D EPE ({@link sceneFlowMetrics}) of a predictor on a held-out set, pooled over
 * the valid pixels of all videos (batches of `batchSize`, counts summed, so the result does not depend
 * on the batching).
 */
export async function evaluateSceneFlow(
  predict: SceneFlowPredictor,
  set: SceneFlowEvalSet,
  { batchSize = 8 } = {},
): Promise<SceneFlowMetrics> {
  const n = set.count;
  let count = 0;
  const sums = { d1: 0, d2: 0, fl: 0, sf1: 0, epe3d: 0 };
  for (let from = 0; from < n; from += batchSize) {
    const size = Math.min(batchSize, n - from);
    const take = <T extends tf.Tensor>(t: T) =>
      tf.slice(
        t,
        [from, ...new Array<number>(t.rank - 1).fill(0)],
        [size, ...new Array<number>(t.rank - 1).fill(-1)],
      ) as T;
    const inputs = { left1: take(set.left1), left2: take(set.left2), K: take(set.K) };
    const truth = {
      disparity1: take(set.disparity1),
      disparity2: take(set.disparity2),
      flow: take(set.flow),
      sceneFlow: take(set.sceneFlow),
    };
    const valid = take(set.valid);
    const pred = predict(inputs.left1, inputs.left2, inputs.K, set.baseline);
    try {
      const m = await sceneFlowMetrics({ ...pred, truth, valid });
      count += m.count;
      for (const k of ['d1', 'd2', 'fl', 'sf1'] as const) sums[k] += m[k] * m.count;
      sums.epe3d += (m.epe3d ?? 0) * m.count;
    } finally {
      tf.dispose([...Object.values(inputs), ...Object.values(truth), valid, ...Object.values(pred)]);
    }
  }
  const c = Math.max(count, 1);
  return {
    d1: sums.d1 / c,
    d2: sums.d2 / c,
    fl: sums.fl / c,
    sf1: sums.sf1 / c,
    epe3d: sums.epe3d / c,
    count,
  };
}
