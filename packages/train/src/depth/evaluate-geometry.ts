import { createKey, foldIn } from '@genoise/core';
import { syntheticSequence, syntheticStereo } from '@genoise/data';
import { type DepthMetrics, depthMetrics } from '@genoise/eval';
import { disparityToDepth } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { DepthSettings } from './depth-options';
import { disparitiesOf, type GeometryModels } from './geometry-models';

/** The seed of the held-out evaluation scenes: the same for every run, never used for training pools. */
export const GEOMETRY_EVAL_SEED = 0x5eed_e7a1;

/** Held-out synthetic images with ground-truth depth; the caller disposes it. */
export interface GeometryEvalSet {
  /** Left images (stereo) or target frames (monocular), float32 `[N, H, W, 3]`. */
  readonly images: tf.Tensor4D;
  /** Ground-truth z-depth, float32 `[N, H, W, 1]` (`MISS_DEPTH` = 1000 where a ray hits nothing). */
  readonly depth: tf.Tensor4D;
  /** Stereo: `fx · baseline` per image, so `depth = fxBaseline / disparity_pixels`. */
  readonly fxBaseline: readonly number[];
  readonly kind: DepthSettings['kind'];
  dispose(): void;
}

/**
 * Renders `count` held-out scenes for a config (from {@link GEOMETRY_EVAL_SEED}, independent of the
 * run's seed and pool): stereo pairs' left views for `stereo`, the middle frame of three-frame sequences
 * for the monocular recipes, with exact depth.
 */
export function geometryEvalSet(config: DepthSettings, { count = 16 } = {}): GeometryEvalSet {
  const { height, width, samples } = config;
  const key = createKey(GEOMETRY_EVAL_SEED);
  const pixels = height * width;
  const images = new Float32Array(count * pixels * 3);
  const depth = new Float32Array(count * pixels);
  const fxBaseline: number[] = [];
  const stereo = config.kind === 'stereo-pairs';
  for (let i = 0; i < count; i++) {
    if (stereo) {
      const s = syntheticStereo(foldIn(key, i), { height, width, samples });
      images.set(s.left, i * pixels * 3);
      depth.set(s.depthLeft, i * pixels);
      fxBaseline.push(s.K[0]! * s.baseline);
    } else {
      const s = syntheticSequence(foldIn(key, i), { height, width, samples, frames: 3 });
      images.set(s.images.subarray(pixels * 3, 2 * pixels * 3), i * pixels * 3);
      depth.set(s.depth.subarray(pixels, 2 * pixels), i * pixels);
    }
  }
  const set = {
    images: tf.tensor4d(images, [count, height, width, 3]),
    depth: tf.tensor4d(depth, [count, height, width, 1]),
    fxBaseline,
    kind: config.kind,
    dispose: () => tf.dispose([set.images, set.depth]),
  };
  return set;
}

/**
 * Depth predicted by a recipe's depthNet at full resolution, `[N, H, W, 1]` (the caller disposes it).
 * Stereo: `depth = fxBaseline / (d_left · W)` from the left disparity (a fraction of the width);
 * monocular: `disparityToDepth` (scale-free; evaluate with median scaling).
 */
export function predictDepth(
  models: GeometryModels,
  config: DepthSettings,
  images: tf.Tensor4D,
  fxBaseline?: readonly number[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const finest = disparitiesOf(models.depth.predict(images) as tf.Tensor | tf.Tensor[])[0]!;
    if (config.kind === 'stereo-pairs') {
      const width = images.shape[2];
      const left = tf.slice(finest, [0, 0, 0, 0], [-1, -1, -1, 1]);
      const pixels = tf.maximum(tf.mul(left, width), 1e-3);
      const fb = tf.tensor4d(Float32Array.from(fxBaseline ?? new Array<number>(images.shape[0]).fill(1)), [
        images.shape[0],
        1,
        1,
        1,
      ]);
      return tf.div(fb, pixels) as tf.Tensor4D;
    }
    return disparityToDepth(finest, { minDepth: config.minDepth, maxDepth: config.maxDepth }).depth;
  });
}

/** Predicted disparity maps at full resolution (the left one for stereo), `[N, H, W, 1]`, for pictures. */
export function predictDisparity(models: GeometryModels, images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const finest = disparitiesOf(models.depth.predict(images) as tf.Tensor | tf.Tensor[])[0]!;
    return tf.slice(finest, [0, 0, 0, 0], [-1, -1, -1, 1]) as tf.Tensor4D;
  });
}

/** Depth-metric options of a recipe: metric depth for stereo, median scaling for monocular; 1e-3 to 80. */
export function geometryMetricOptions(config: DepthSettings): {
  medianScaling: boolean;
  minDepth: number;
  maxDepth: number;
} {
  return { medianScaling: config.kind !== 'stereo-pairs', minDepth: 1e-3, maxDepth: 80 };
}

/** Evaluates in batches of `batchSize` and averages per image (depthMetrics averages per image, so batches combine exactly). */
async function metricsOver(
  set: GeometryEvalSet,
  config: DepthSettings,
  predict: (images: tf.Tensor4D, from: number) => tf.Tensor4D,
  batchSize = 8,
): Promise<DepthMetrics> {
  const n = set.images.shape[0];
  const sums: Record<string, number> = {};
  for (let from = 0; from < n; from += batchSize) {
    const count = Math.min(batchSize, n - from);
    const images = tf.slice(set.images, [from, 0, 0, 0], [count, -1, -1, -1]);
    const gt = tf.slice(set.depth, [from, 0, 0, 0], [count, -1, -1, -1]);
    const pred = predict(images, from);
    const m = await depthMetrics(pred, gt, geometryMetricOptions(config));
    tf.dispose([images, gt, pred]);
    for (const name of ['absRel', 'sqRel', 'rmse', 'rmseLog', 'a1', 'a2', 'a3'] as const)
      sums[name] = (sums[name] ?? 0) + m[name] * count;
  }
  const mean = (name: string) => (sums[name] ?? 0) / n;
  return {
    absRel: mean('absRel'),
    sqRel: mean('sqRel'),
    rmse: mean('rmse'),
    rmseLog: mean('rmseLog'),
    a1: mean('a1'),
    a2: mean('a2'),
    a3: mean('a3'),
  };
}

/**
 * Depth metrics (`depthMetrics`: abs_rel, sq_rel, rmse, rmse_log, a1-a3) of a recipe's depthNet on a
 * held-out set: metric depth from the disparity for stereo, median-scaled for monocular recipes.
 *
 * @example
 * ```ts
 * const set = geometryEvalSet(config);
 * const trained = await evaluateGeometry(result.models, config, set);
 * const constant = await constantDepthBaseline(config, set);
 * set.dispose();
 * ```
 */
export async function evaluateGeometry(
  models: GeometryModels,
  config: DepthSettings,
  set: GeometryEvalSet,
): Promise<DepthMetrics> {
  return metricsOver(set, config, (images, from) =>
    predictDepth(models, config, images, set.fxBaseline.slice(from, from + images.shape[0])),
  );
}

/**
 * The constant-depth baseline: the median ground-truth depth of the set's valid pixels (`1e-3 < gt < 80`)
 * everywhere, through the same metrics (so for monocular recipes, median scaling turns it into each
 * image's own median).
 */
export async function constantDepthBaseline(
  config: DepthSettings,
  set: GeometryEvalSet,
): Promise<DepthMetrics> {
  const values = await set.depth.data();
  const valid = Float64Array.from(
    Array.prototype.filter.call(values, (v: number) => v > 1e-3 && v < 80) as number[],
  );
  valid.sort();
  const median = valid.length > 0 ? valid[valid.length >> 1]! : 1;
  return metricsOver(set, config, (images) =>
    tf.fill([images.shape[0], images.shape[1], images.shape[2], 1], median),
  );
}
