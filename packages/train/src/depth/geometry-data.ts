import { ArgumentError, createKey, foldIn, type Key, splitKey } from '@genoise/core';
import { syntheticSequence, syntheticStereo } from '@genoise/data';
import type { FrameSequencesDataset, StereoFolderDataset } from '@genoise/data/node';
import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, renderCache, toBytes } from '../internal/image-pool';
import type { DepthSettings } from './depth-options';

/** A batch of rectified stereo pairs, float32 `[B, H, W, 3]` in [0, 1]; the caller disposes them. */
export interface StereoExamples {
  readonly left: tf.Tensor4D;
  readonly right: tf.Tensor4D;
}

/** A batch of frame triplets `(t - 1, t, t + 1)` with intrinsics `[B, 3, 3]` in pixels; the caller disposes them. */
export interface TripletExamples {
  readonly previous: tf.Tensor4D;
  readonly target: tf.Tensor4D;
  readonly next: tf.Tensor4D;
  readonly K: tf.Tensor3D;
}

interface GeometryDataBase {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** Examples to shuffle over each epoch, or `undefined` for an endless stream (example i is rendered from its index). */
  readonly size: number | undefined;
}

/** Stereo training data: `examples(indices)` gives the pairs. */
export interface StereoData extends GeometryDataBase {
  readonly kind: 'stereo-pairs';
  examples(indices: readonly number[]): StereoExamples;
}

/** Monocular video training data: `examples(indices)` gives the triplets. */
export interface SequenceData extends GeometryDataBase {
  readonly kind: 'frame-triplets';
  examples(indices: readonly number[]): TripletExamples;
}

/** What the depth methods train on: stereo pairs (the `stereo` recipe) or frame triplets (the monocular ones). */
export type GeometryData = StereoData | SequenceData;

/**
 * The independent keys of a geometry run, all from `config.seed`: weights, data order (folded with the
 * epoch), the synthetic scene pool (folded with the example index) and per-step loss noise.
 */
export function geometryKeys(config: Pick<DepthSettings, 'seed'>): {
  initKey: Key;
  orderKey: Key;
  sceneKey: Key;
  noiseKey: Key;
} {
  const [initKey, orderKey, sceneKey, noiseKey] = splitKey(createKey(config.seed), 4) as [Key, Key, Key, Key];
  return { initKey, orderKey, sceneKey, noiseKey };
}

function poolName(config: DepthSettings, what: string): string {
  const { height, width, poolSize } = config;
  return `synthetic ${what} ${height}x${width}${poolSize > 0 ? `, pool of ${poolSize} scenes` : ''}`;
}

/** Rectified stereo pairs from `syntheticStereo`, pair `i` rendered from `foldIn(sceneKey, i)`. */
function syntheticStereoPairs(config: DepthSettings): StereoData {
  const { height, width, samples, poolSize } = config;
  const { sceneKey } = geometryKeys(config);
  const pair = renderCache((i) => {
    const s = syntheticStereo(foldIn(sceneKey, i), { height, width, samples });
    return { left: toBytes(s.left), right: toBytes(s.right) };
  }, config);
  return {
    kind: 'stereo-pairs',
    name: poolName(config, 'stereo'),
    height,
    width,
    size: poolSize > 0 ? poolSize : undefined,
    examples(indices) {
      const pairs = indices.map(pair);
      return {
        left: imageBatch(
          pairs.map((p) => p.left),
          height,
          width,
        ),
        right: imageBatch(
          pairs.map((p) => p.right),
          height,
          width,
        ),
      };
    },
  };
}

/** Frame triplets from three-frame `syntheticSequence`s, triplet `i` rendered from `foldIn(sceneKey, i)`. */
function syntheticFrameTriplets(config: DepthSettings): SequenceData {
  const { height, width, samples, poolSize } = config;
  const { sceneKey } = geometryKeys(config);
  const pixels = height * width * 3;
  const triplet = renderCache((i) => {
    const s = syntheticSequence(foldIn(sceneKey, i), { height, width, samples, frames: 3 });
    const bytes = toBytes(s.images);
    return {
      frames: [0, 1, 2].map((t) => bytes.subarray(t * pixels, (t + 1) * pixels)),
      K: s.K,
    };
  }, config);
  return {
    kind: 'frame-triplets',
    name: poolName(config, 'video'),
    height,
    width,
    size: poolSize > 0 ? poolSize : undefined,
    examples(indices) {
      const triplets = indices.map(triplet);
      const frame = (t: number) =>
        imageBatch(
          triplets.map((x) => x.frames[t]!),
          height,
          width,
        );
      const K = new Float32Array(9 * triplets.length);
      triplets.forEach((x, b) => {
        K.set(x.K, 9 * b);
      });
      return {
        previous: frame(0),
        target: frame(1),
        next: frame(2),
        K: tf.tensor3d(K, [triplets.length, 3, 3]),
      };
    },
  };
}

/** The synthetic renderer of each geometry data kind. */
const SYNTHETIC: { readonly [K in GeometryData['kind']]: (config: DepthSettings) => GeometryData } = {
  'stereo-pairs': syntheticStereoPairs,
  'frame-triplets': syntheticFrameTriplets,
};

/**
 * Synthetic training data for a geometry config, rendered by `@genoise/data`'s ray tracer: stereo pairs
 * (`syntheticStereo`) for `'stereo-pairs'`, three-frame sequences (`syntheticSequence`) for
 * `'frame-triplets'`. Example `i` is rendered from `foldIn(geometryKeys(config).sceneKey, i)`, so a
 * resumed run sees the same scenes. With `config.poolSize > 0` the run reuses a pool of that many scenes,
 * each rendered on first use and kept (as bytes); with 0 every step renders new scenes.
 *
 * @example
 * ```ts
 * const data = syntheticGeometryData(config);
 * const { left, right } = (data as StereoData).examples([0, 1, 2, 3]);
 * ```
 */
export function syntheticGeometryData(config: DepthSettings): GeometryData {
  return SYNTHETIC[config.kind](config);
}

/** Stereo training data from {@link loadStereoFolder}'s pairs (already resized to the config's size). */
export function stereoFolderData(dataset: StereoFolderDataset, name = dataset.name): StereoData {
  const [height, width] = dataset.imageShape;
  return {
    kind: 'stereo-pairs',
    name,
    height,
    width,
    size: dataset.size,
    examples: (indices) => dataset.pairs(indices),
  };
}

/** Monocular training data from {@link loadFrameSequences}' triplets (already resized to the config's size). */
export function sequenceFolderData(dataset: FrameSequencesDataset, name = dataset.name): SequenceData {
  const [height, width] = dataset.imageShape;
  return {
    kind: 'frame-triplets',
    name,
    height,
    width,
    size: dataset.size,
    examples: (indices) => dataset.triplets(indices),
  };
}

/** What each geometry data kind holds, for messages. */
const HOLDS: { readonly [K in GeometryData['kind']]: string } = {
  'stereo-pairs': 'stereo pairs',
  'frame-triplets': 'frame triplets',
};

/** Throws unless `data` fits `config` (kind and size). */
export function checkGeometryData(config: DepthSettings, data: GeometryData, op: string): void {
  if (data.kind !== config.kind) {
    throw new ArgumentError({
      op,
      argument: 'data',
      message: `${op}: the method trains on ${HOLDS[config.kind]} but the data holds ${HOLDS[data.kind] ?? JSON.stringify(data.kind)}.`,
    });
  }
  if (data.height !== config.height || data.width !== config.width) {
    throw new ArgumentError({
      op,
      argument: 'data',
      message: `${op}: the data's images are ${data.height}x${data.width} but the config asks for ${config.height}x${config.width}; load the folder at the config's size.`,
    });
  }
  if (data.size !== undefined && data.size < config.batchSize) {
    throw new ArgumentError({
      op,
      argument: 'batchSize',
      message: `${op}: the data has ${data.size} examples, fewer than a batch of ${config.batchSize}.`,
    });
  }
}
