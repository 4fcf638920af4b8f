import { createKey, foldIn } from '@genoise/core';
import { type FlowMetrics, flowMetrics, type MaskAgreement, maskAgreement } from '@genoise/eval';
import type { FlowNet } from '@genoise/models';
import { forwardBackwardOcclusion } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { type FlowDataSettings, flowPair } from './flow-data';

/** The seed of the held-out flow pairs: the same for every run, never used for training pools. */
export const FLOW_EVAL_SEED = 0xf10e_e7a1;

/** Held-out synthetic frame pairs with their true flow and occlusion; the caller disposes it. */
export interface FlowEvalSet {
  /** float32 `[N, H, W, 3]` in [0, 1]. */
  readonly frame1: tf.Tensor4D;
  readonly frame2: tf.Tensor4D;
  /** True flow, frame 1 -> 2, float32 `[N, H, W, 2]`, pixels. */
  readonly flow: tf.Tensor4D;
  /** True occlusion, float32 `[N, H, W, 1]`, 1 = the frame-1 point is not visible in frame 2 (hidden or out of view). */
  readonly occlusion: tf.Tensor4D;
  dispose(): void;
}

/**
 * Renders `count` held-out pairs (from {@link FLOW_EVAL_SEED}, independent of the run's seed and pool) at
 * the run's size, scenes ({@link flowPair}), supersampling and number of moving objects, with exact flow and occlusion.
 */
export function flowEvalSet(
  settings: Pick<FlowDataSettings, 'height' | 'width' | 'samples' | 'movingObjects' | 'scenes'>,
  { count = 16 } = {},
): FlowEvalSet {
  const { height, width } = settings;
  const key = createKey(FLOW_EVAL_SEED);
  const pixels = height * width;
  const f1 = new Float32Array(count * pixels * 3);
  const f2 = new Float32Array(count * pixels * 3);
  const flow = new Float32Array(count * pixels * 2);
  const occlusion = new Float32Array(count * pixels);
  for (let i = 0; i < count; i++) {
    const p = flowPair(foldIn(key, i), settings);
    f1.set(p.frame1, i * pixels * 3);
    f2.set(p.frame2, i * pixels * 3);
    flow.set(p.flow, i * pixels * 2);
    occlusion.set(p.occlusion, i * pixels);
  }
  const set = {
    frame1: tf.tensor4d(f1, [count, height, width, 3]),
    frame2: tf.tensor4d(f2, [count, height, width, 3]),
    flow: tf.tensor4d(flow, [count, height, width, 2]),
    occlusion: tf.tensor4d(occlusion, [count, height, width, 1]),
    dispose: () => tf.dispose([set.frame1, set.frame2, set.flow, set.occlusion]),
  };
  return set;
}

/** A network's full-resolution forward and backward flow and its forward-backward occlusion estimate; the caller disposes them. */
export interface FlowPrediction {
  /** `[N, H, W, 2]`, frame 1 -> 2. */
  readonly forward: tf.Tensor4D;
  /** `[N, H, W, 2]`, frame 2 -> 1. */
  readonly backward: tf.Tensor4D;
  /** `[N, H, W, 1]`, 1 = occluded by the forward-backward check (UnFlow's tolerances unless given). */
  readonly occlusion: tf.Tensor4D;
}

/**
 * Runs the network on `(I1, I2)` and `(I2, I1)` (one batch of 2N, in batches of `batchSize` pairs) and
 * returns the full-resolution flows with their forward-backward occlusion mask.
 */
export function predictFlow(
  net: FlowNet,
  frame1: tf.Tensor4D,
  frame2: tf.Tensor4D,
  { batchSize = 8, alpha1 = 0.01, alpha2 = 0.5 } = {},
): FlowPrediction {
  const n = frame1.shape[0];
  const forward: tf.Tensor4D[] = [];
  const backward: tf.Tensor4D[] = [];
  for (let from = 0; from < n; from += batchSize) {
    const count = Math.min(batchSize, n - from);
    const [fw, bw] = tf.tidy(() => {
      const a = tf.slice(frame1, [from, 0, 0, 0], [count, -1, -1, -1]);
      const b = tf.slice(frame2, [from, 0, 0, 0], [count, -1, -1, -1]);
      const flows = net.apply(tf.concat([a, b], 0), tf.concat([b, a], 0));
      return tf.split(flows[0]!, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    });
    forward.push(fw);
    backward.push(bw);
  }
  const result = tf.tidy(() => {
    const f = tf.concat(forward, 0) as tf.Tensor4D;
    const b = tf.concat(backward, 0) as tf.Tensor4D;
    return { forward: f, backward: b, occlusion: forwardBackwardOcclusion(f, b, { alpha1, alpha2 }) };
  });
  tf.dispose([...forward, ...backward]);
  return result;
}

/** A flow predictor's scores on a held-out set. */
export interface FlowEvaluation {
  /** EPE all / noc / occ, Fl, 1/3/5-px accuracy against the true flow (occluded = the true occlusion). */
  readonly metrics: FlowMetrics;
  /** The forward-backward occlusion mask against the true occlusion (precision, recall, F1, IoU). */
  readonly occlusion: MaskAgreement;
}

/**
 * Scores a flow network on a held-out set: `flowMetrics` of its forward flow (all pixels valid; noc/occ
 * split by the true occlusion) and `maskAgreement` of its forward-backward occlusion mask with the true one.
 *
 * @example
 * ```ts
 * const set = flowEvalSet(settings);
 * const { metrics, occlusion } = await evaluateFlow(method.net, set);
 * console.log(metrics.epeAll, occlusion.precision, occlusion.recall);
 * set.dispose();
 * ```
 */
export async function evaluateFlow(
  net: FlowNet,
  set: FlowEvalSet,
  options: { alpha1?: number; alpha2?: number } = {},
): Promise<FlowEvaluation> {
  const prediction = predictFlow(net, set.frame1, set.frame2, options);
  try {
    const metrics = await flowMetrics(prediction.forward, set.flow, { occluded: set.occlusion });
    const occlusion = await maskAgreement(prediction.occlusion, set.occlusion);
    return { metrics, occlusion };
  } finally {
    tf.dispose([prediction.forward, prediction.backward, prediction.occlusion]);
  }
}

/** The zero-flow baseline's metrics on a held-out set (EPE all is then the mean true flow length). */
export async function zeroFlowBaseline(set: FlowEvalSet): Promise<FlowMetrics> {
  const zeros = tf.zerosLike(set.flow);
  try {
    return await flowMetrics(zeros, set.flow, { occluded: set.occlusion });
  } finally {
    zeros.dispose();
  }
}
