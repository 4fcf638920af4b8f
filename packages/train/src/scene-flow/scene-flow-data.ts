import { ArgumentError, createKey, foldIn, type Key, splitKey } from '@genoise/core';
import { type SyntheticSceneFlow, syntheticSceneFlow } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, renderCache, toBytes } from '../internal/image-pool';

/**
 * A batch of rectified stereo videos, two times each: float32 `[B, H, W, 3]` images in [0, 1] and the
 * intrinsics `[B, 3, 3]` in pixels (shared by the four views). The caller disposes them.
 */
export interface StereoVideoExamples {
  readonly left1: tf.Tensor4D;
  readonly right1: tf.Tensor4D;
  readonly left2: tf.Tensor4D;
  readonly right2: tf.Tensor4D;
  readonly K: tf.Tensor3D;
}

/** What the scene-flow method trains on: stereo videos of one size and one stereo baseline. */
export interface StereoVideoData {
  readonly kind: 'stereo-video';
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** The stereo baseline in scene units (depth = `fx · baseline / disparity_pixels`). */
  readonly baseline: number;
  /** Videos to shuffle over each epoch, or `undefined` for an endless stream (video i rendered from i). */
  readonly size: number | undefined;
  examples(indices: readonly number[]): StereoVideoExamples;
}

/** What the scene-flow data helpers read from a run. */
export interface SceneFlowDataSettings {
  readonly seed: number;
  readonly batchSize: number;
  readonly height: number;
  readonly width: number;
  readonly poolSize: number;
  readonly samples: number;
  readonly movingObjects: number;
}

/** The independent keys of a scene-flow run, from its seed: `[init, order, scene, step] = splitKey(createKey(seed), 4)`. */
export function sceneFlowKeys(seed: number): { initKey: Key; orderKey: Key; sceneKey: Key; stepKey: Key } {
  const [initKey, orderKey, sceneKey, stepKey] = splitKey(createKey(seed), 4) as [Key, Key, Key, Key];
  return { initKey, orderKey, sceneKey, stepKey };
}

/** The stereo baseline of the synthetic videos, in scene units (the renderer's default). */
export const SCENE_FLOW_BASELINE = 0.4;

/** The renderer's options for a run. */
function renderOptions(
  settings: Pick<SceneFlowDataSettings, 'height' | 'width' | 'samples' | 'movingObjects'>,
) {
  const { height, width, samples, movingObjects } = settings;
  return { height, width, samples, movingObjects, baseline: SCENE_FLOW_BASELINE };
}

/**
 * Synthetic stereo videos for a scene-flow run, from `@genoise/data`'s {@link syntheticSceneFlow}: video
 * `i` is rendered from `foldIn(sceneFlowKeys(seed).sceneKey, i)`, so a resumed run sees the same videos.
 * With `poolSize > 0` the run reuses that many videos, each rendered on first use (about 0.1 s of CPU
 * at 64x128) and kept as bytes; with 0 each index renders a new one (a small cache for the current batch).
 * Only the images and intrinsics are kept: training sees no ground truth.
 *
 * @example
 * ```ts
 * const data = syntheticStereoVideoData({ seed: 0, batchSize: 4, height: 64, width: 128, poolSize: 256, samples: 2, movingObjects: 3 });
 * const { left1, right1, left2, right2, K } = data.examples([0, 1, 2, 3]);
 * ```
 */
export function syntheticStereoVideoData(settings: SceneFlowDataSettings): StereoVideoData {
  const { height, width, poolSize } = settings;
  const { sceneKey } = sceneFlowKeys(settings.seed);
  const size = poolSize > 0 ? poolSize : undefined;
  const render = renderCache((index) => {
    const s = syntheticSceneFlow(foldIn(sceneKey, index), renderOptions(settings));
    return { views: [s.left1, s.right1, s.left2, s.right2].map(toBytes), K: s.K };
  }, settings);
  return {
    kind: 'stereo-video',
    name: `synthetic stereo video ${height}x${width}${size ? `, pool of ${size} videos` : ''}`,
    height,
    width,
    baseline: SCENE_FLOW_BASELINE,
    size,
    examples(indices) {
      const videos = indices.map(render);
      const view = (v: number) =>
        imageBatch(
          videos.map((x) => x.views[v]!),
          height,
          width,
        );
      const K = new Float32Array(9 * videos.length);
      videos.forEach((x, b) => {
        K.set(x.K, 9 * b);
      });
      return {
        left1: view(0),
        right1: view(1),
        left2: view(2),
        right2: view(3),
        K: tf.tensor3d(K, [videos.length, 3, 3]),
      };
    },
  };
}

/** Throws unless `data` is stereo video of the config's size with at least a batch of videos. */
export function checkStereoVideoData(
  settings: Pick<SceneFlowDataSettings, 'height' | 'width' | 'batchSize'>,
  data: {
    readonly kind?: unknown;
    readonly height?: unknown;
    readonly width?: unknown;
    readonly size?: unknown;
  },
  op: string,
): asserts data is StereoVideoData {
  if (data?.kind !== 'stereo-video')
    throw new ArgumentError({
      op,
      argument: 'data',
      expected: "stereo video (kind 'stereo-video', e.g. syntheticStereoVideoData)",
      actual: JSON.stringify(data?.kind),
    });
  if (data.height !== settings.height || data.width !== settings.width)
    throw new ArgumentError({
      op,
      argument: 'data',
      message: `${op}: the data's images are ${data.height}x${data.width} but the config asks for ${settings.height}x${settings.width}.`,
    });
  if (typeof data.size === 'number' && data.size < settings.batchSize)
    throw new ArgumentError({
      op,
      argument: 'batchSize',
      message: `${op}: the data has ${data.size} videos, fewer than a batch of ${settings.batchSize}.`,
    });
}

/** The seed of the held-out scene-flow videos: the same for every run, never used by a training pool. */
export const SCENE_FLOW_EVAL_SEED = 0x5eed_5f10;

/** Held-out stereo videos with exact ground truth on the frame-1 left grid; the caller disposes it. */
export interface SceneFlowEvalSet {
  /** The monocular input: left views at both times, `[N, H, W, 3]`, and intrinsics `[N, 3, 3]`. */
  readonly left1: tf.Tensor4D;
  readonly left2: tf.Tensor4D;
  readonly K: tf.Tensor3D;
  readonly baseline: number;
  /** Ground truth: disparities `[N, H, W, 1]` (pixels), flow `[N, H, W, 2]`, scene flow `[N, H, W, 3]`, valid `[N, H, W, 1]`. */
  readonly disparity1: tf.Tensor4D;
  readonly disparity2: tf.Tensor4D;
  readonly flow: tf.Tensor4D;
  readonly sceneFlow: tf.Tensor4D;
  readonly valid: tf.Tensor4D;
  /** 1 where the frame-1 point is hidden or out of view in `left2`, `[N, H, W, 1]` (for pictures). */
  readonly occlusion: tf.Tensor4D;
  readonly count: number;
  dispose(): void;
}

/**
 * Renders `count` held-out stereo videos (from {@link SCENE_FLOW_EVAL_SEED}, independent of the run's
 * seed and pool) with the run's size and moving objects; only the left views are network input.
 */
export function sceneFlowEvalSet(
  settings: Pick<SceneFlowDataSettings, 'height' | 'width' | 'samples' | 'movingObjects'>,
  { count = 16 } = {},
): SceneFlowEvalSet {
  const key = createKey(SCENE_FLOW_EVAL_SEED);
  const videos: SyntheticSceneFlow[] = [];
  for (let i = 0; i < count; i++) videos.push(syntheticSceneFlow(foldIn(key, i), renderOptions(settings)));
  const { height: h, width: w } = settings;
  const maps = (pick: (v: SyntheticSceneFlow) => Float32Array, c: number) => {
    const all = new Float32Array(count * h * w * c);
    videos.forEach((v, i) => {
      all.set(pick(v), i * h * w * c);
    });
    return tf.tensor4d(all, [count, h, w, c]);
  };
  const K = new Float32Array(9 * count);
  videos.forEach((v, i) => {
    K.set(v.K, 9 * i);
  });
  const tensors = {
    left1: maps((v) => v.left1, 3),
    left2: maps((v) => v.left2, 3),
    K: tf.tensor3d(K, [count, 3, 3]),
    disparity1: maps((v) => v.disparity1, 1),
    disparity2: maps((v) => v.disparity2, 1),
    flow: maps((v) => v.flow, 2),
    sceneFlow: maps((v) => v.sceneFlow, 3),
    valid: maps((v) => v.valid, 1),
    occlusion: maps((v) => v.occlusion, 1),
  };
  return {
    ...tensors,
    baseline: SCENE_FLOW_BASELINE,
    count,
    dispose: () => tf.dispose(Object.values(tensors)),
  };
}
