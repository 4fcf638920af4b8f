import { checkInteger, checkNumber, foldIn, type Key, splitKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { cameraTrajectory } from '../internal/camera-trajectory';

import { correspondence } from '../internal/correspondence';
import { RandomStream } from '../internal/random-stream';
import { invertRigid, mul4 } from '../internal/rigid';
import { checkBatchSize, checkViewSettings, stack } from '../internal/synthetic-settings';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { render } from './render-scene';
import type { SyntheticViewOptions } from './synthetic-options';
import { type SyntheticScene, syntheticScene } from './synthetic-scene';

/** The generator's own option names, beside the shared view options. */
const FLOW_KEYS = ['motion', 'movingObjects', 'objectSpeed', 'occlusionTolerance'];
const BATCH_FLOW_KEYS = [...FLOW_KEYS, 'batchSize'];

/** Options of {@link syntheticFlow}. */
export interface SyntheticFlowOptions extends SyntheticViewOptions {
  /** Scales the camera motion between the two frames, >= 0 (as in {@link SyntheticSequenceOptions}). Default `1`. */
  readonly motion?: number;
  /** How many of the objects move on their own between the frames, an integer in [0, objects]. Default `2`. */
  readonly movingObjects?: number;
  /** The largest speed of a moving object, scene units per frame, >= 0. Default `0.3`. */
  readonly objectSpeed?: number;
  /** Relative inverse-depth tolerance of the occlusion test, > 0. Default `0.03`. */
  readonly occlusionTolerance?: number;
}

/** A rendered frame pair with ground-truth optical flow, as plain typed arrays (row-major). */
export interface SyntheticFlow {
  readonly height: number;
  readonly width: number;
  /** RGB in [0, 1], `[H, W, 3]`. */
  readonly frame1: Float32Array;
  readonly frame2: Float32Array;
  /** `[H, W, 2]` (u, v) in pixels from frame 1 to frame 2: `I1(x) ~ I2(x + flow(x))` where not occluded. */
  readonly flow: Float32Array;
  /** `[H, W, 1]`: 1 where the frame-1 point is not visible in frame 2 (out of view or hidden). */
  readonly occlusion: Float32Array;
  /** z-depth of each frame, `[H, W, 1]`. */
  readonly depth1: Float32Array;
  readonly depth2: Float32Array;
  /** Intrinsics `[3, 3]`. */
  readonly K: Float32Array;
  /** Camera-to-world poses of the two frames, `[4, 4]` each. */
  readonly worldFromCamera1: Float32Array;
  readonly worldFromCamera2: Float32Array;
  /** `inverse(worldFromCamera2) · worldFromCamera1` `[4, 4]`: frame 1 is the target, frame 2 the source. */
  readonly srcTransTgt: Float32Array;
  readonly scene: SyntheticScene;
}

const OP = 'syntheticFlow';

function generate(
  key: Key,
  options: SyntheticFlowOptions,
  op: string,
  keys: readonly string[],
): SyntheticFlow {
  const view = checkViewSettings(op, key, options, keys);
  const { motion = 1, movingObjects = 2, objectSpeed = 0.3, occlusionTolerance = 0.03 } = options;
  checkNumber(motion, { op, arg: 'motion', min: 0 });
  checkInteger(movingObjects, { op, arg: 'movingObjects', min: 0, max: view.objects });
  checkNumber(objectSpeed, { op, arg: 'objectSpeed', min: 0 });
  checkNumber(occlusionTolerance, { op, arg: 'occlusionTolerance', min: 0, exclusiveMin: true });
  const { height, width, samples } = view;
  const [pathKey, sceneKey] = splitKey(key, 2) as [Key, Key];
  const trajectory = cameraTrajectory(new RandomStream(pathKey), motion);
  const pose1 = trajectory.at(0);
  const pose2 = trajectory.at(1);
  const scene = syntheticScene(sceneKey, {
    objects: view.objects,
    movingObjects,
    objectSpeed,
    textureFrequency: view.textureFrequency,
    keepOut: [pose1, pose2].map((m) => [m[3]!, m[7]!, m[11]!] as const),
  });
  const K = intrinsicsFromFov(height, width, view.fovDegrees);
  const first = render(scene, height, width, K, pose1, 0, samples);
  const second = render(scene, height, width, K, pose2, 1, samples);
  const { flow, occlusion } = correspondence(scene, first, 1, K, pose2, second.depth, occlusionTolerance);
  return {
    height,
    width,
    frame1: first.image,
    frame2: second.image,
    flow,
    occlusion,
    depth1: first.depth,
    depth2: second.depth,
    K,
    worldFromCamera1: Float32Array.from(pose1),
    worldFromCamera2: Float32Array.from(pose2),
    srcTransTgt: Float32Array.from(mul4(invertRigid(pose2), pose1)),
    scene,
  };
}

/**
 * Renders two consecutive frames of a random scene ({@link syntheticScene}) with exact optical flow
 * from frame 1 to frame 2, from the camera's motion and from `movingObjects` objects that move and
 * turn on their own (their textures and shading move with them, so brightness constancy holds). Each
 * frame-1 pixel-centre point is carried by its surface's motion into frame 2's camera and projected:
 * `flow = p2 - p1`. It is occluded when it lands outside `[0, W-1] x [0, H-1]`, behind the camera, or
 * behind what frame 2 shows there (`1 / D2(p2) > (1 + occlusionTolerance) / z2`, `1 / D2` interpolated
 * bilinearly), so `I1(x) ~ I2(x + flow(x))` wherever `occlusion` is 0.
 *
 * @param key - the pair's key (scene, motions)
 * @param options - `height`, `width` (required), `motion`, `movingObjects`, `objectSpeed`,
 *   `occlusionTolerance` and {@link SyntheticViewOptions}
 * @returns a {@link SyntheticFlow}: `frame1`, `frame2` `[H, W, 3]`, `flow` `[H, W, 2]`, `occlusion`,
 *   `depth1`, `depth2` `[H, W, 1]`, `K`, poses and `srcTransTgt` (frame 1 into frame 2's camera)
 * @throws ArgumentError for a bad key or option
 * @see Meister et al. 2018, UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss
 * @example
 * ```ts
 * const pair = syntheticFlow(createKey(0), { height: 128, width: 416, movingObjects: 2 });
 * console.log(pair.flow[0], pair.flow[1]); // u, v of pixel (0, 0)
 * ```
 */
export function syntheticFlow(key: Key, options: SyntheticFlowOptions): SyntheticFlow {
  return generate(key, options, OP, FLOW_KEYS);
}

/** Options of {@link syntheticFlowBatch}. */
export interface SyntheticFlowBatchOptions extends SyntheticFlowOptions {
  /** Pairs in the batch, a positive integer. */
  readonly batchSize: number;
}

/** A batch of flow pairs as tensors in the pinned layouts; the caller disposes the tensors. */
export interface SyntheticFlowBatch {
  /** float32 `[B, H, W, 3]`. */
  readonly frame1: tf.Tensor4D;
  readonly frame2: tf.Tensor4D;
  /** float32 `[B, H, W, 2]`, (u, v) pixels. */
  readonly flow: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 = occluded. */
  readonly occlusion: tf.Tensor4D;
  readonly depth1: tf.Tensor4D;
  readonly depth2: tf.Tensor4D;
  /** float32 `[B, 3, 3]`. */
  readonly K: tf.Tensor3D;
  /** float32 `[B, 4, 4]`, frame-1 camera points into frame 2's camera. */
  readonly srcTransTgt: tf.Tensor3D;
  /** The pairs as typed arrays (element `b` is `syntheticFlow(foldIn(key, b), options)`). */
  readonly pairs: readonly SyntheticFlow[];
}

/**
 * A batch of {@link syntheticFlow} pairs as tensors: element `b` is `syntheticFlow(foldIn(key, b), options)`.
 *
 * @param key - the batch's key
 * @param options - `batchSize` and {@link SyntheticFlowOptions}
 * @returns a {@link SyntheticFlowBatch}
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const batch = syntheticFlowBatch(foldIn(key, step), { batchSize: 4, height: 96, width: 320 });
 * const { pairs, ...tensors } = batch;
 * tf.dispose(Object.values(tensors).filter((t) => t instanceof tf.Tensor));
 * ```
 */
export function syntheticFlowBatch(key: Key, options: SyntheticFlowBatchOptions): SyntheticFlowBatch {
  const op = 'syntheticFlowBatch';
  checkViewSettings(op, key, options, BATCH_FLOW_KEYS);
  checkBatchSize(op, options.batchSize);
  const pairs = Array.from({ length: options.batchSize }, (_, b) =>
    generate(foldIn(key, b), options, op, BATCH_FLOW_KEYS),
  );
  const { height: h, width: w } = pairs[0]!;
  const n = pairs.length;
  const maps = (pick: (p: SyntheticFlow) => Float32Array, c: number) =>
    tf.tensor4d(stack(pairs.map(pick)), [n, h, w, c]);
  const tensors = tf.tidy(op, () => ({
    frame1: maps((p) => p.frame1, 3),
    frame2: maps((p) => p.frame2, 3),
    flow: maps((p) => p.flow, 2),
    occlusion: maps((p) => p.occlusion, 1),
    depth1: maps((p) => p.depth1, 1),
    depth2: maps((p) => p.depth2, 1),
    K: tf.tensor3d(stack(pairs.map((p) => p.K)), [n, 3, 3]),
    srcTransTgt: tf.tensor3d(stack(pairs.map((p) => p.srcTransTgt)), [n, 4, 4]),
  }));
  return { ...tensors, pairs };
}
