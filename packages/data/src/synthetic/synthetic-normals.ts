import { ArgumentError, checkInteger, describeValue, foldIn, type Key, splitKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

import { checkIndices } from '../internal/checks';
import { RandomStream } from '../internal/random-stream';
import { rigid, rotationYawPitchRoll } from '../internal/rigid';
import { checkBatchSize, checkViewSettings, stack } from '../internal/synthetic-settings';
import { intrinsicsFromFov } from './intrinsics-from-fov';
import { render } from './render-scene';
import type { SyntheticViewOptions } from './synthetic-options';
import { type SyntheticScene, syntheticScene } from './synthetic-scene';

/** The generator's own option names, beside the shared view options. */
const NORMALS_KEYS = ['grayscale'];
const BATCH_NORMALS_KEYS = [...NORMALS_KEYS, 'batchSize'];
const SET_NORMALS_KEYS = [...NORMALS_KEYS, 'count'];

/** The luma weights of `tf.image.rgbToGrayscale` (ITU-R BT.601). */
const LUMA = [0.2989, 0.587, 0.114] as const;

/** Options of {@link syntheticNormals}. */
export interface SyntheticNormalsOptions extends SyntheticViewOptions {
  /** Return a 1-channel grey image (`0.2989 R + 0.587 G + 0.114 B`) instead of RGB. Default `false`. */
  readonly grayscale?: boolean;
}

/** One rendered view with its ground-truth surface normals, as plain typed arrays (row-major). */
export interface SyntheticNormals {
  readonly height: number;
  readonly width: number;
  /** 3 (RGB) or 1 (`grayscale`). */
  readonly channels: 1 | 3;
  /** The image in [0, 1], `[H, W, C]`. */
  readonly image: Float32Array;
  /**
   * Unit surface normals of the pixel-centre hits in the camera frame (x right, y down, z forward),
   * `[H, W, 3]`, facing the camera (`n · ray < 0`); `[0, 0, 0]` where `valid` is 0.
   */
  readonly normal: Float32Array;
  /** `[H, W, 1]`: 1 where the pixel-centre ray hit a surface (everywhere inside the closed room). */
  readonly valid: Float32Array;
  /** z-depth, `[H, W, 1]`. */
  readonly depth: Float32Array;
  /** Intrinsics `[3, 3]`. */
  readonly K: Float32Array;
  /** The camera-to-world pose `[4, 4]`. */
  readonly worldFromCamera: Float32Array;
  readonly scene: SyntheticScene;
}

function checkGrayscale(op: string, grayscale: unknown): asserts grayscale is boolean {
  if (typeof grayscale !== 'boolean') {
    throw new ArgumentError({
      op,
      argument: 'grayscale',
      expected: 'a boolean',
      actual: describeValue(grayscale),
    });
  }
}

function generate(
  key: Key,
  options: SyntheticNormalsOptions,
  op: string,
  keys: readonly string[],
): SyntheticNormals {
  const view = checkViewSettings(op, key, options, keys);
  const { grayscale = false } = options;
  checkGrayscale(op, grayscale);
  const { height, width, samples } = view;
  const [poseKey, sceneKey] = splitKey(key, 2) as [Key, Key];
  const rng = new RandomStream(poseKey);
  // a look around the room: turned, tilted down (more ground) or slightly up, a little rolled
  const rotation = rotationYawPitchRoll(
    rng.uniform(-0.5, 0.5),
    rng.uniform(-0.45, 0.1),
    rng.uniform(-0.08, 0.08),
  );
  const worldFromCamera = rigid(rotation, [rng.uniform(-1, 1), rng.uniform(-0.3, 0.2), 0]);
  const scene = syntheticScene(sceneKey, {
    objects: view.objects,
    textureFrequency: view.textureFrequency,
    keepOut: [[worldFromCamera[3]!, worldFromCamera[7]!, worldFromCamera[11]!]],
  });
  const K = intrinsicsFromFov(height, width, view.fovDegrees);
  const r = render(scene, height, width, K, worldFromCamera, 0, samples);
  const pixels = height * width;
  let image = r.image;
  if (grayscale) {
    image = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) {
      image[p] = LUMA[0] * r.image[3 * p]! + LUMA[1] * r.image[3 * p + 1]! + LUMA[2] * r.image[3 * p + 2]!;
    }
  }
  const valid = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) valid[p] = r.surface[p]! >= 0 ? 1 : 0;
  return {
    height,
    width,
    channels: grayscale ? 1 : 3,
    image,
    normal: r.normal,
    valid,
    depth: r.depth,
    K,
    worldFromCamera: Float32Array.from(worldFromCamera),
    scene,
  };
}

/**
 * Renders one view of a random scene ({@link syntheticScene}) from a random viewpoint (turned up to
 * ±29°, tilted 26° down to 6° up, rolled up to ±5°) with exact surface normals: the unit normal of the
 * surface hit by each pixel-centre ray, in the camera frame (x right, y down, z forward), facing the
 * camera (`n · ray < 0`). A wall facing the camera head-on has normal `(0, 0, -1)`; the ground seen
 * from a level camera `(0, -1, 0)`. Plain JavaScript, the same values on every backend.
 *
 * @param key - the view's key (scene and viewpoint)
 * @param options - `height`, `width` (required), `grayscale` and {@link SyntheticViewOptions}
 * @returns a {@link SyntheticNormals}: `image` `[H, W, C]` (C = 3, or 1 with `grayscale`), `normal`
 *   `[H, W, 3]`, `valid` and `depth` `[H, W, 1]`, `K`, `worldFromCamera`
 * @throws ArgumentError for a bad key or option
 * @see Doersch et al. 2015 and Wang et al. 2015 (surface-normal transfer as the dense downstream task)
 * @example
 * ```ts
 * const view = syntheticNormals(createKey(0), { height: 64, width: 64, grayscale: true });
 * console.log(view.normal.subarray(0, 3)); // the unit normal at pixel (0, 0)
 * ```
 */
export function syntheticNormals(key: Key, options: SyntheticNormalsOptions): SyntheticNormals {
  return generate(key, options, 'syntheticNormals', NORMALS_KEYS);
}

/** Options of {@link syntheticNormalsBatch}. */
export interface SyntheticNormalsBatchOptions extends SyntheticNormalsOptions {
  /** Views in the batch, a positive integer. */
  readonly batchSize: number;
}

/** A batch of views with normals as tensors in the pinned layouts; the caller disposes the tensors. */
export interface SyntheticNormalsBatch {
  /** float32 `[B, H, W, C]` in [0, 1]. */
  readonly image: tf.Tensor4D;
  /** float32 `[B, H, W, 3]`, unit normals in the camera frame (zero where invalid). */
  readonly normal: tf.Tensor4D;
  /** float32 `[B, H, W, 1]`, 1 = a surface was hit. */
  readonly valid: tf.Tensor4D;
  /** float32 `[B, H, W, 1]` z-depth. */
  readonly depth: tf.Tensor4D;
  /** float32 `[B, 3, 3]`. */
  readonly K: tf.Tensor3D;
  /** The views as typed arrays (element `b` is `syntheticNormals(foldIn(key, b), options)`). */
  readonly views: readonly SyntheticNormals[];
}

function toTensors(op: string, views: readonly SyntheticNormals[]): Omit<SyntheticNormalsBatch, 'views'> {
  const { height: h, width: w, channels } = views[0]!;
  const n = views.length;
  const maps = (pick: (v: SyntheticNormals) => Float32Array, c: number) =>
    tf.tensor4d(stack(views.map(pick)), [n, h, w, c]);
  return tf.tidy(op, () => ({
    image: maps((v) => v.image, channels),
    normal: maps((v) => v.normal, 3),
    valid: maps((v) => v.valid, 1),
    depth: maps((v) => v.depth, 1),
    K: tf.tensor3d(stack(views.map((v) => v.K)), [n, 3, 3]),
  }));
}

/**
 * A batch of {@link syntheticNormals} views as tensors: element `b` is
 * `syntheticNormals(foldIn(key, b), options)`. For a training stream use `foldIn(key, step)`.
 *
 * @param key - the batch's key
 * @param options - `batchSize` and {@link SyntheticNormalsOptions}
 * @returns a {@link SyntheticNormalsBatch}: `image` `[B, H, W, C]`, `normal` `[B, H, W, 3]`, `valid`,
 *   `depth` `[B, H, W, 1]`, `K` `[B, 3, 3]`
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const batch = syntheticNormalsBatch(foldIn(key, step), { batchSize: 8, height: 64, width: 64 });
 * tf.dispose([batch.image, batch.normal, batch.valid, batch.depth, batch.K]);
 * ```
 */
export function syntheticNormalsBatch(
  key: Key,
  options: SyntheticNormalsBatchOptions,
): SyntheticNormalsBatch {
  const op = 'syntheticNormalsBatch';
  checkViewSettings(op, key, options, BATCH_NORMALS_KEYS);
  checkBatchSize(op, options.batchSize);
  const views = Array.from({ length: options.batchSize }, (_, b) =>
    generate(foldIn(key, b), options, op, BATCH_NORMALS_KEYS),
  );
  return { ...toTensors(op, views), views };
}

/** Options of {@link syntheticNormalsSet}. */
export interface SyntheticNormalsSetOptions extends SyntheticNormalsOptions {
  /** Examples in the set, an integer in [1, 100000]. */
  readonly count: number;
}

/** A labelled set of views with normals held as typed arrays, with a tensor accessor for batches. */
export interface SyntheticNormalsSet {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  /** `[N, H, W, C]` in [0, 1]. */
  readonly images: Float32Array;
  /** `[N, H, W, 3]` unit camera-frame normals (zero where invalid). */
  readonly normals: Float32Array;
  /** `[N, H, W, 1]`, 1 = a surface was hit. */
  readonly valid: Float32Array;
  /**
   * Tensors of the examples at `indices`, in that order (repeats allowed): `image` `[n, H, W, C]`,
   * `normal` `[n, H, W, 3]`, `valid` `[n, H, W, 1]`. The caller disposes them.
   *
   * @throws ArgumentError when an index is not an integer in `[0, count)`
   */
  batch(indices: ArrayLike<number>): { image: tf.Tensor4D; normal: tf.Tensor4D; valid: tf.Tensor4D };
}

/**
 * Builds `count` labelled examples for a surface-normal experiment (e.g. fine-tuning a pretrained trunk
 * with a small decoder on a fixed labelled budget): example `i` is `syntheticNormals(foldIn(key, i),
 * options)`, the same as element `i` of `syntheticNormalsBatch(key, { batchSize: count, ... })`, held as
 * typed arrays (`count · H · W · (C + 4) · 4` bytes) rather than tensors, with `batch(indices)` for
 * tensors of any subset. Cost: one {@link renderScene} per example, 15 ms of CPU time per 64x64
 * example with `samples: 2` (measured over 100).
 *
 * @param key - the set's key
 * @param options - `count`, `height`, `width` (required), `grayscale` and {@link SyntheticViewOptions}
 * @returns a {@link SyntheticNormalsSet}: `images` `[N, H, W, C]`, `normals` `[N, H, W, 3]`, `valid`
 *   `[N, H, W, 1]` and `batch(indices)`
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const train = syntheticNormalsSet(createKey(1), { count: 500, height: 64, width: 64, grayscale: true });
 * const { image, normal, valid } = train.batch([0, 1, 2, 3]);
 * tf.dispose([image, normal, valid]);
 * ```
 */
export function syntheticNormalsSet(key: Key, options: SyntheticNormalsSetOptions): SyntheticNormalsSet {
  const op = 'syntheticNormalsSet';
  checkViewSettings(op, key, options, SET_NORMALS_KEYS);
  checkInteger(options.count, { op, arg: 'count', min: 1, max: 100000 });
  const { count } = options;
  const first = generate(foldIn(key, 0), options, op, SET_NORMALS_KEYS);
  const { height, width, channels } = first;
  const pixels = height * width;
  const images = new Float32Array(count * pixels * channels);
  const normals = new Float32Array(count * pixels * 3);
  const valid = new Float32Array(count * pixels);
  for (let i = 0; i < count; i++) {
    const v = i === 0 ? first : generate(foldIn(key, i), options, op, SET_NORMALS_KEYS);
    images.set(v.image, i * pixels * channels);
    normals.set(v.normal, i * pixels * 3);
    valid.set(v.valid, i * pixels);
  }
  const gather = (all: Float32Array, index: Int32Array, c: number): tf.Tensor4D => {
    const size = pixels * c;
    const out = new Float32Array(index.length * size);
    for (let j = 0; j < index.length; j++) {
      const i = index[j]!;
      out.set(all.subarray(i * size, (i + 1) * size), j * size);
    }
    return tf.tensor4d(out, [index.length, height, width, c]);
  };
  return {
    count,
    height,
    width,
    channels,
    images,
    normals,
    valid,
    batch(indices: ArrayLike<number>) {
      const index = checkIndices(indices, count, `${op}.batch`);
      return tf.tidy(`${op}.batch`, () => ({
        image: gather(images, index, channels),
        normal: gather(normals, index, 3),
        valid: gather(valid, index, 1),
      }));
    },
  };
}
