import { checkInteger, checkNumber, foldIn, type Key, splitKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { cameraTrajectory } from '../internal/camera-trajectory';

import { RandomStream } from '../internal/random-stream';
import { invertRigid, type Mat4, mul4 } from '../internal/rigid';
import { checkBatchSize, checkViewSettings, stack } from '../internal/synthetic-settings';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { render } from './render-scene';
import type { SyntheticViewOptions } from './synthetic-options';
import { type SyntheticScene, syntheticScene } from './synthetic-scene';

/** The generator's own option names, beside the shared view options. */
const SEQUENCE_KEYS = ['frames', 'motion'];
const BATCH_SEQUENCE_KEYS = [...SEQUENCE_KEYS, 'batchSize'];

/** Options of {@link syntheticSequence}. */
export interface SyntheticSequenceOptions extends SyntheticViewOptions {
  /** Frames in the sequence, an integer in [1, 1000]. Default `3` (a target and its two neighbours). */
  readonly frames?: number;
  /**
   * Scales the camera motion, >= 0: at `1`, 0.25 to 0.45 units forward per frame (the camera is 1.2
   * to 1.8 units above the ground), heading turning up to 1.4° per frame, slight drift, bob, pitch and
   * roll. Default `1`.
   */
  readonly motion?: number;
}

/** A rendered monocular sequence with its ground truth, as plain typed arrays (row-major). */
export interface SyntheticSequence {
  readonly height: number;
  readonly width: number;
  readonly frames: number;
  /** RGB in [0, 1], `[T, H, W, 3]`. */
  readonly images: Float32Array;
  /** z-depth along each camera's optical axis, `[T, H, W, 1]`, positive and finite. */
  readonly depth: Float32Array;
  /** Camera-to-world pose of each frame, `[T, 4, 4]` (world: x right, y down, z forward). */
  readonly worldFromCamera: Float32Array;
  /** Intrinsics `[3, 3]`, shared by all frames. */
  readonly K: Float32Array;
  /** The scene that was rendered. */
  readonly scene: SyntheticScene;
  /**
   * `srcTransTgt = inverse(worldFromCamera[src]) · worldFromCamera[tgt]` `[4, 4]`, computed in float64:
   * maps points in frame `tgt`'s camera into frame `src`'s.
   */
  srcTransTgt(src: number, tgt: number): Float32Array;
}

const OP = 'syntheticSequence';

interface SequenceSettings {
  readonly frames: number;
  readonly motion: number;
}

function checkSequenceSettings(op: string, options: SyntheticSequenceOptions): SequenceSettings {
  const { frames = 3, motion = 1 } = options;
  checkInteger(frames, { op, arg: 'frames', min: 1, max: 1000 });
  checkNumber(motion, { op, arg: 'motion', min: 0 });
  return { frames, motion };
}

function generate(
  key: Key,
  options: SyntheticSequenceOptions,
  op: string,
  keys: readonly string[],
): SyntheticSequence {
  const view = checkViewSettings(op, key, options, keys);
  const { frames, motion } = checkSequenceSettings(op, options);
  const { height, width, samples } = view;
  const [pathKey, sceneKey] = splitKey(key, 2) as [Key, Key];
  const trajectory = cameraTrajectory(new RandomStream(pathKey), motion);
  const poses: Mat4[] = Array.from({ length: frames }, (_, t) => trajectory.at(t));
  const scene = syntheticScene(sceneKey, {
    objects: view.objects,
    textureFrequency: view.textureFrequency,
    keepOut: poses.map((m) => [m[3]!, m[7]!, m[11]!] as const),
  });
  const K = intrinsicsFromFov(height, width, view.fovDegrees);
  const pixels = height * width;
  const images = new Float32Array(frames * pixels * 3);
  const depth = new Float32Array(frames * pixels);
  const worldFromCamera = new Float32Array(frames * 16);
  poses.forEach((pose, t) => {
    const r = render(scene, height, width, K, pose, 0, samples);
    images.set(r.image, t * pixels * 3);
    depth.set(r.depth, t * pixels);
    worldFromCamera.set(pose, t * 16);
  });
  const srcTransTgt = (src: number, tgt: number): Float32Array => {
    checkInteger(src, { op: `${op}.srcTransTgt`, arg: 'src', min: 0, max: frames - 1 });
    checkInteger(tgt, { op: `${op}.srcTransTgt`, arg: 'tgt', min: 0, max: frames - 1 });
    return Float32Array.from(mul4(invertRigid(poses[src]!), poses[tgt]!));
  };
  return { height, width, frames, images, depth, worldFromCamera, K, scene, srcTransTgt };
}

/**
 * Renders a monocular sequence of a random scene ({@link syntheticScene}) seen from a camera moving
 * smoothly forward with small rotations, as from a car or a hand-held camera, with exact ground truth:
 * depth, camera poses and intrinsics. The same key and options give the same pixels on every backend
 * (plain JavaScript). The scene is static, so every frame pair satisfies
 * `p_s ~ K · srcTransTgt · D(p_t) · K^-1 · p_t` (SfMLearner's and Monodepth2's view synthesis) wherever
 * the point is visible in both.
 *
 * Cost: one {@link renderScene} per frame, about 0.15 to 0.25 s for 128x416 at `samples: 2` on one core.
 *
 * @param key - the sequence's key (scene and camera path)
 * @param options - `height`, `width` (required), `frames`, `motion` and {@link SyntheticViewOptions}
 * @returns a {@link SyntheticSequence}: `images` `[T, H, W, 3]`, `depth` `[T, H, W, 1]`,
 *   `worldFromCamera` `[T, 4, 4]`, `K` `[3, 3]` and `srcTransTgt(src, tgt)` `[4, 4]`
 * @throws ArgumentError for a bad key or option
 * @see Zhou et al. 2017, Unsupervised Learning of Depth and Ego-Motion from Video (SfMLearner)
 * @example
 * ```ts
 * const seq = syntheticSequence(createKey(0), { height: 128, width: 416, frames: 3 });
 * const pose = seq.srcTransTgt(0, 1); // maps frame-1 camera points into frame 0's camera
 * ```
 */
export function syntheticSequence(key: Key, options: SyntheticSequenceOptions): SyntheticSequence {
  return generate(key, options, OP, SEQUENCE_KEYS);
}

/** Options of {@link syntheticSequenceBatch}. */
export interface SyntheticSequenceBatchOptions extends SyntheticSequenceOptions {
  /** Sequences in the batch, a positive integer. */
  readonly batchSize: number;
}

/** A batch of sequences as tensors in the pinned layouts; the caller disposes them. */
export interface SyntheticSequenceBatch {
  /** One float32 `[B, H, W, 3]` per frame (length T). */
  readonly frames: tf.Tensor4D[];
  /** One float32 `[B, H, W, 1]` z-depth per frame. */
  readonly depth: tf.Tensor4D[];
  /** One float32 `[B, 4, 4]` camera-to-world pose per frame. */
  readonly worldFromCamera: tf.Tensor3D[];
  /** Intrinsics, float32 `[B, 3, 3]`. */
  readonly K: tf.Tensor3D;
  /** The batch's sequences as typed arrays (element `b` is `syntheticSequence(foldIn(key, b), options)`). */
  readonly sequences: readonly SyntheticSequence[];
  /** A new float32 `[B, 4, 4]` tensor of `srcTransTgt` from frame `tgt` to frame `src`; the caller disposes it. */
  srcTransTgt(src: number, tgt: number): tf.Tensor3D;
}

/**
 * A batch of {@link syntheticSequence}s as tensors: element `b` is
 * `syntheticSequence(foldIn(key, b), options)`, so any element can be regenerated alone. For a
 * training stream use `foldIn(key, step)` as each step's key.
 *
 * @param key - the batch's key
 * @param options - `batchSize` and {@link SyntheticSequenceOptions}
 * @returns a {@link SyntheticSequenceBatch}: per frame `frames[t]` `[B, H, W, 3]`, `depth[t]`
 *   `[B, H, W, 1]`, `worldFromCamera[t]` `[B, 4, 4]`; `K` `[B, 3, 3]`; `srcTransTgt(src, tgt)` `[B, 4, 4]`
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const batch = syntheticSequenceBatch(foldIn(key, step), { batchSize: 4, height: 96, width: 320 });
 * const [previous, target, next] = batch.frames;
 * const pose = batch.srcTransTgt(0, 1); // [4, 4, 4]
 * tf.dispose([...batch.frames, ...batch.depth, ...batch.worldFromCamera, batch.K, pose]);
 * ```
 */
export function syntheticSequenceBatch(
  key: Key,
  options: SyntheticSequenceBatchOptions,
): SyntheticSequenceBatch {
  const op = 'syntheticSequenceBatch';
  checkViewSettings(op, key, options, BATCH_SEQUENCE_KEYS);
  checkSequenceSettings(op, options);
  checkBatchSize(op, options.batchSize);
  const sequences = Array.from({ length: options.batchSize }, (_, b) =>
    generate(foldIn(key, b), options, op, BATCH_SEQUENCE_KEYS),
  );
  const { height: h, width: w, frames: t } = sequences[0]!;
  const batch = sequences.length;
  const frame = (f: number, channels: number, all: Float32Array) =>
    all.subarray(f * h * w * channels, (f + 1) * h * w * channels);
  const tensors = tf.tidy(op, () => ({
    frames: Array.from({ length: t }, (_, f) =>
      tf.tensor4d(stack(sequences.map((s) => frame(f, 3, s.images))), [batch, h, w, 3]),
    ),
    depth: Array.from({ length: t }, (_, f) =>
      tf.tensor4d(stack(sequences.map((s) => frame(f, 1, s.depth))), [batch, h, w, 1]),
    ),
    worldFromCamera: Array.from({ length: t }, (_, f) =>
      tf.tensor3d(stack(sequences.map((s) => s.worldFromCamera.subarray(16 * f, 16 * f + 16))), [
        batch,
        4,
        4,
      ]),
    ),
    K: tf.tensor3d(stack(sequences.map((s) => s.K)), [batch, 3, 3]),
  }));
  return {
    ...tensors,
    sequences,
    srcTransTgt: (src: number, tgt: number): tf.Tensor3D =>
      tf.tensor3d(stack(sequences.map((s) => s.srcTransTgt(src, tgt))), [batch, 4, 4]),
  };
}
