import { ArgumentError, createKey, foldIn, type Key, splitKey } from '@genoise/core';
import { type FlyingShapesPair, flyingShapes, syntheticFlow } from '@genoise/data';
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../config/train-config';
import { imageBatch, renderCache, toBytes } from '../internal/image-pool';
import type { UnflowOptions } from './flow-options';

/**
 * Synthetic pair `key` of a flow run's scenes, with its exact flow and occlusion: `flyingShapes` or the
 * renderer's `syntheticFlow` (see `UnflowOptions.scenes`).
 */
export function flowPair(
  key: Key,
  settings: Pick<FlowDataSettings, 'height' | 'width' | 'samples' | 'movingObjects' | 'scenes'>,
): FlyingShapesPair {
  const { height, width, samples, movingObjects, scenes } = settings;
  return scenes === 'corridor'
    ? syntheticFlow(key, { height, width, samples, movingObjects })
    : flyingShapes(key, { height, width, samples });
}

/** A batch of frame pairs, float32 `[B, H, W, 3]` in [0, 1]; the caller disposes them. */
export interface FramePairExamples {
  readonly frame1: tf.Tensor4D;
  readonly frame2: tf.Tensor4D;
}

/** Training data of a flow method: frame pairs (`examples(indices)`), without ground truth. */
export interface FramePairData {
  readonly kind: 'frame-pairs';
  readonly name: string;
  readonly height: number;
  readonly width: number;
  /** Pairs to shuffle over each epoch, or `undefined` for an endless stream (pair i is rendered from its index). */
  readonly size: number | undefined;
  examples(indices: readonly number[]): FramePairExamples;
}

/** What a synthetic flow run renders: its size, seed and the pool. */
export type FlowDataSettings = Pick<
  UnflowOptions,
  'height' | 'width' | 'poolSize' | 'samples' | 'movingObjects' | 'scenes'
> & {
  readonly seed: number;
  readonly batchSize: number;
};

/** The data-relevant fields of a flow run's config. */
export function flowDataSettings(config: TrainConfig): FlowDataSettings {
  const m = config.method as unknown as UnflowOptions;
  return {
    seed: config.seed,
    batchSize: config.batchSize,
    height: m.height,
    width: m.width,
    poolSize: m.poolSize,
    samples: m.samples,
    movingObjects: m.movingObjects,
    scenes: m.scenes,
  };
}

/**
 * The independent keys of a flow run, all from its seed: weights, data order (folded with the epoch),
 * the synthetic pair pool (folded with the pair index) and per-step augmentation (folded with the step).
 */
export function flowRunKeys(seed: number): { initKey: Key; orderKey: Key; stepKey: Key; pairKey: Key } {
  const [initKey, orderKey, pairKey, stepKey] = splitKey(createKey(seed), 4) as [Key, Key, Key, Key];
  return { initKey, orderKey, stepKey, pairKey };
}

/**
 * Synthetic frame pairs for a flow run, from {@link flowPair} (`flyingShapes`, or the renderer's
 * `syntheticFlow` for `scenes: 'corridor'`): pair `i` from `foldIn(pairKey, i)`, so a resumed run
 * sees the same pairs. With `poolSize > 0` a fixed pool of that many pairs, each rendered on first use
 * and kept as bytes (64x64 at 2x2 supersampling: about 25-30 ms a pair on one core); with 0 a fresh pair
 * every time (a small cache keeps the last few). The ground truth is not kept: training is unsupervised.
 *
 * @example
 * ```ts
 * const data = syntheticFlowData(flowDataSettings(config));
 * const { frame1, frame2 } = data.examples([0, 1, 2, 3]); // [4, 64, 64, 3] each
 * ```
 */
export function syntheticFlowData(settings: FlowDataSettings): FramePairData {
  const { height, width, poolSize, scenes } = settings;
  const { pairKey } = flowRunKeys(settings.seed);
  const size = poolSize > 0 ? poolSize : undefined;
  const pair = renderCache((i) => {
    const p = flowPair(foldIn(pairKey, i), settings);
    return { frame1: toBytes(p.frame1), frame2: toBytes(p.frame2) };
  }, settings);
  return {
    kind: 'frame-pairs',
    name: `synthetic ${scenes} flow pairs ${height}x${width}${size ? `, pool of ${size}` : ''}`,
    height,
    width,
    size,
    examples(indices) {
      const pairs = indices.map(pair);
      return {
        frame1: imageBatch(
          pairs.map((p) => p.frame1),
          height,
          width,
        ),
        frame2: imageBatch(
          pairs.map((p) => p.frame2),
          height,
          width,
        ),
      };
    },
  };
}

/** Synthetic frame pairs for a flow run's config (see {@link syntheticFlowData}). */
export function syntheticFlowPairs(config: TrainConfig): FramePairData {
  return syntheticFlowData(flowDataSettings(config));
}

/** Throws unless `data` holds frame pairs of the config's size, at least a batch of them. */
export function checkFramePairData(
  settings: Pick<FlowDataSettings, 'height' | 'width' | 'batchSize'>,
  data: { readonly size: number | undefined } & Partial<FramePairData>,
  op: string,
): asserts data is FramePairData {
  if (data.kind !== 'frame-pairs' || typeof data.examples !== 'function')
    throw new ArgumentError({
      op,
      argument: 'data',
      expected: 'frame pairs (kind "frame-pairs", e.g. syntheticFlowData)',
      actual: JSON.stringify(data.kind ?? 'images'),
    });
  if (data.height !== settings.height || data.width !== settings.width)
    throw new ArgumentError({
      op,
      argument: 'data',
      message: `${op}: the data's frames are ${data.height}x${data.width} but the config asks for ${settings.height}x${settings.width}.`,
    });
  if (data.size !== undefined && data.size < settings.batchSize)
    throw new ArgumentError({
      op,
      argument: 'batchSize',
      message: `${op}: the data has ${data.size} pairs, fewer than a batch of ${settings.batchSize}.`,
    });
}
