import { checkNumber, foldIn, type Key, splitKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

import { correspondence } from '../internal/correspondence';
import { RandomStream } from '../internal/random-stream';
import { mul4, rigid, rotationYawPitchRoll } from '../internal/rigid';
import { checkBatchSize, checkViewSettings, stack } from '../internal/synthetic-settings';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { render } from './render-scene';
import type { SyntheticViewOptions } from './synthetic-options';
import { type SyntheticScene, syntheticScene } from './synthetic-scene';

/** The generator's own option names, beside the shared view options. */
const STEREO_KEYS = ['baseline', 'occlusionTolerance'];
const BATCH_STEREO_KEYS = [...STEREO_KEYS, 'batchSize'];

/** Options of {@link syntheticStereo}. */
export interface SyntheticStereoOptions extends SyntheticViewOptions {
  /**
   * The distance between the two camera centres in scene units, > 0 (the camera is 1.2 to 1.8 units
   * above the ground, depths run from about 2 to 35). Default `0.4`: at 128x416 and 80° field of view
   * (`fx` 248) disparities of about 3 to 50 pixels.
   */
  readonly baseline?: number;
  /** Relative inverse-depth tolerance of the occlusion test, > 0. Default `0.03`. */
  readonly occlusionTolerance?: number;
}

/** A rendered rectified stereo pair with its ground truth, as plain typed arrays (row-major). */
export interface SyntheticStereo {
  readonly height: number;
  readonly width: number;
  /** Left and right images, RGB in [0, 1], `[H, W, 3]`. */
  readonly left: Float32Array;
  readonly right: Float32Array;
  /** Disparity of the left view in pixels, `[H, W, 1]`: `fx · baseline / depthLeft`, so `x_right = x_left - d`. */
  readonly disparityLeft: Float32Array;
  /** Disparity of the right view in pixels, `[H, W, 1]`: `fx · baseline / depthRight`, so `x_left = x_right + d`. */
  readonly disparityRight: Float32Array;
  /** z-depth of each view, `[H, W, 1]`. */
  readonly depthLeft: Float32Array;
  readonly depthRight: Float32Array;
  /** `[H, W, 1]`: 1 where the left pixel's point is not visible in the right view (out of view or hidden). */
  readonly occlusionLeft: Float32Array;
  /** Intrinsics `[3, 3]`, shared by both views. */
  readonly K: Float32Array;
  /** The baseline in scene units. */
  readonly baseline: number;
  /** The left camera's camera-to-world pose `[4, 4]`; the right camera is `worldFromLeft · translate(baseline, 0, 0)`. */
  readonly worldFromLeft: Float32Array;
  readonly scene: SyntheticScene;
}

const OP = 'syntheticStereo';

function generate(
  key: Key,
  options: SyntheticStereoOptions,
  op: string,
  keys: readonly string[],
): SyntheticStereo {
  const view = checkViewSettings(op, key, options, keys);
  const { baseline = 0.4, occlusionTolerance = 0.03 } = options;
  checkNumber(baseline, { op, arg: 'baseline', min: 0, exclusiveMin: true });
  checkNumber(occlusionTolerance, { op, arg: 'occlusionTolerance', min: 0, exclusiveMin: true });
  const { height, width, samples } = view;
  const [poseKey, sceneKey] = splitKey(key, 2) as [Key, Key];
  const rng = new RandomStream(poseKey);
  const rotation = rotationYawPitchRoll(
    rng.uniform(-0.15, 0.15),
    rng.uniform(-0.06, 0.06),
    rng.uniform(-0.03, 0.03),
  );
  const worldFromLeft = rigid(rotation, [rng.uniform(-1, 1), rng.uniform(-0.2, 0.2), 0]);
  const worldFromRight = mul4(worldFromLeft, rigid([1, 0, 0, 0, 1, 0, 0, 0, 1], [baseline, 0, 0]));
  const scene = syntheticScene(sceneKey, {
    objects: view.objects,
    textureFrequency: view.textureFrequency,
    keepOut: [worldFromLeft, worldFromRight].map((m) => [m[3]!, m[7]!, m[11]!] as const),
  });
  const K = intrinsicsFromFov(height, width, view.fovDegrees);
  const left = render(scene, height, width, K, worldFromLeft, 0, samples);
  const right = render(scene, height, width, K, worldFromRight, 0, samples);
  const fb = K[0]! * baseline;
  const { occlusion } = correspondence(scene, left, 0, K, worldFromRight, right.depth, occlusionTolerance);
  return {
    height,
    width,
    left: left.image,
    right: right.image,
    disparityLeft: left.depth.map((z) => fb / z),
    disparityRight: right.depth.map((z) => fb / z),
    depthLeft: left.depth,
    depthRight: right.depth,
    occlusionLeft: occlusion,
    K,
    baseline,
    worldFromLeft: Float32Array.from(worldFromLeft),
    scene,
  };
}

/**
 * Renders a rectified stereo pair of a random scene ({@link syntheticScene}): two identical pinhole
 * cameras, the right one `baseline` units along the left camera's x axis, with exact disparities
 * `d = fx · baseline / depth` (pixels, positive) for both views, so `x_right = x_left - d_left`
 * (Monodepth's convention, pinned in this project). Plain JavaScript, the same pixels on every backend.
 *
 * @param key - the pair's key (scene and camera pose)
 * @param options - `height`, `width` (required), `baseline`, `occlusionTolerance` and {@link SyntheticViewOptions}
 * @returns a {@link SyntheticStereo}: `left`, `right` `[H, W, 3]`, `disparityLeft`, `disparityRight`,
 *   `depthLeft`, `depthRight`, `occlusionLeft` `[H, W, 1]`, `K` `[3, 3]`, `baseline`, `worldFromLeft`
 * @throws ArgumentError for a bad key or option
 * @see Godard et al. 2017, Unsupervised Monocular Depth Estimation with Left-Right Consistency
 * @example
 * ```ts
 * const pair = syntheticStereo(createKey(0), { height: 128, width: 416, baseline: 0.4 });
 * console.log(pair.disparityLeft[0]); // e.g. 4.1 (pixels)
 * ```
 */
export function syntheticStereo(key: Key, options: SyntheticStereoOptions): SyntheticStereo {
  return generate(key, options, OP, STEREO_KEYS);
}

/** Options of {@link syntheticStereoBatch}. */
export interface SyntheticStereoBatchOptions extends SyntheticStereoOptions {
  /** Pairs in the batch, a positive integer. */
  readonly batchSize: number;
}

/** A batch of stereo pairs as tensors in the pinned layouts; the caller disposes the tensors. */
export interface SyntheticStereoBatch {
  /** float32 `[B, H, W, 3]`. */
  readonly left: tf.Tensor4D;
  readonly right: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, pixels. */
  readonly disparityLeft: tf.Tensor4D;
  readonly disparityRight: tf.Tensor4D;
  readonly depthLeft: tf.Tensor4D;
  readonly depthRight: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 = not visible in the right view. */
  readonly occlusionLeft: tf.Tensor4D;
  /** float32 `[B, 3, 3]`. */
  readonly K: tf.Tensor3D;
  /** The baseline in scene units (the same for every element). */
  readonly baseline: number;
  /** The pairs as typed arrays (element `b` is `syntheticStereo(foldIn(key, b), options)`). */
  readonly pairs: readonly SyntheticStereo[];
}

/**
 * A batch of {@link syntheticStereo} pairs as tensors: element `b` is
 * `syntheticStereo(foldIn(key, b), options)`.
 *
 * @param key - the batch's key
 * @param options - `batchSize` and {@link SyntheticStereoOptions}
 * @returns a {@link SyntheticStereoBatch} (`[B, H, W, C]` images and maps, `K` `[B, 3, 3]`)
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const batch = syntheticStereoBatch(foldIn(key, step), { batchSize: 4, height: 96, width: 320 });
 * tf.dispose([batch.left, batch.right, batch.disparityLeft, batch.disparityRight, batch.depthLeft,
 *   batch.depthRight, batch.occlusionLeft, batch.K]);
 * ```
 */
export function syntheticStereoBatch(key: Key, options: SyntheticStereoBatchOptions): SyntheticStereoBatch {
  const op = 'syntheticStereoBatch';
  checkViewSettings(op, key, options, BATCH_STEREO_KEYS);
  checkBatchSize(op, options.batchSize);
  const pairs = Array.from({ length: options.batchSize }, (_, b) =>
    generate(foldIn(key, b), options, op, BATCH_STEREO_KEYS),
  );
  const { height: h, width: w, baseline } = pairs[0]!;
  const n = pairs.length;
  const maps = (pick: (p: SyntheticStereo) => Float32Array, c: number) =>
    tf.tensor4d(stack(pairs.map(pick)), [n, h, w, c]);
  const tensors = tf.tidy(op, () => ({
    left: maps((p) => p.left, 3),
    right: maps((p) => p.right, 3),
    disparityLeft: maps((p) => p.disparityLeft, 1),
    disparityRight: maps((p) => p.disparityRight, 1),
    depthLeft: maps((p) => p.depthLeft, 1),
    depthRight: maps((p) => p.depthRight, 1),
    occlusionLeft: maps((p) => p.occlusionLeft, 1),
    K: tf.tensor3d(stack(pairs.map((p) => p.K)), [n, 3, 3]),
  }));
  return { ...tensors, baseline, pairs };
}
