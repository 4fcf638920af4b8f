import { foldIn, type Key } from '@genoise/core';
import { poseVecToMatrix } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../config/train-config';
import type { Method } from '../method/method';
import type { MethodSpec } from '../method/method-spec';
import { type DepthOptions, type DepthSettings, depthSettings } from './depth-options';
import {
  checkGeometryData,
  type GeometryData,
  geometryKeys,
  type SequenceData,
  type StereoData,
  type StereoExamples,
  type TripletExamples,
} from './geometry-data';
import { type GeometryLoss, monocularLoss, stereoLoss } from './geometry-losses';
import { buildGeometryModels, disparitiesOf, type GeometryModels, splitPoses } from './geometry-models';

/** A trained or training depth method: a {@link Method} with its networks and settings, for evaluation. */
export interface DepthMethod<
  D extends GeometryData = GeometryData,
  B extends tf.TensorContainer = tf.NamedTensorMap,
> extends Method<D, B> {
  readonly geometry: GeometryModels;
  readonly settings: DepthSettings;
}

/** The key layout of the depth methods: `[init, order, scene, noise] = splitKey(createKey(seed), 4)`. */
export function depthRunKeys(seed: number) {
  const { initKey, orderKey, noiseKey } = geometryKeys({ seed });
  return { initKey, orderKey, stepKey: noiseKey };
}

/** Keeps a loss's terms alive past the optimizer's tape and returns the loss. */
function keepTerms(result: GeometryLoss) {
  for (const t of Object.values(result.terms)) tf.keep(t);
  return result;
}

/** A stereo depth method (Monodepth) over stereo pairs. */
export function stereoMethod(
  config: TrainConfig<DepthOptions>,
  key: Key,
  data: StereoData,
): DepthMethod<StereoData, StereoExamples & tf.NamedTensorMap> {
  const settings = depthSettings(config, 'stereo-pairs');
  checkGeometryData(settings, data, 'fit');
  const geometry = buildGeometryModels(settings, key);
  return {
    name: config.method.name,
    geometry,
    settings,
    models: geometry.models,
    trainableVariables: () => geometry.trainableVariables(),
    batch: (pairs, indices): StereoExamples & tf.NamedTensorMap =>
      pairs.examples(indices) as StereoExamples & tf.NamedTensorMap,
    loss({ left, right }) {
      const disparities = disparitiesOf(geometry.depth.apply(left, { training: true }) as tf.Tensor[]);
      return keepTerms(stereoLoss(disparities, left as tf.Tensor4D, right as tf.Tensor4D, settings));
    },
    dispose: () => geometry.dispose(),
  };
}

/**
 * A monocular depth method over frame triplets: depthNet on the target frame, poseNet on the stacked
 * triplet, reprojection of both neighbours (`'min-automask'`: Monodepth2; `'mean'`: SfMLearner).
 */
export function monocularMethod(
  config: TrainConfig<DepthOptions>,
  key: Key,
  data: SequenceData,
  reprojection: 'min-automask' | 'min' | 'mean',
): DepthMethod<SequenceData, TripletExamples & tf.NamedTensorMap> {
  const settings = depthSettings(config, 'frame-triplets');
  checkGeometryData(settings, data, 'fit');
  const geometry = buildGeometryModels(settings, key);
  const { stepKey } = depthRunKeys(config.seed);
  return {
    name: config.method.name,
    geometry,
    settings,
    models: geometry.models,
    trainableVariables: () => geometry.trainableVariables(),
    batch: (triplets, indices): TripletExamples & tf.NamedTensorMap =>
      triplets.examples(indices) as TripletExamples & tf.NamedTensorMap,
    loss({ previous, target, next, K }, step) {
      const frames = [previous, target, next] as tf.Tensor4D[];
      const disparities = disparitiesOf(geometry.depth.apply(frames[1]!, { training: true }) as tf.Tensor[]);
      const stacked = tf.concat([frames[1]!, frames[0]!, frames[2]!], 3);
      const poses = geometry.pose!.apply(stacked, { training: true }) as tf.Tensor;
      const [p, n] = splitPoses(poses);
      return keepTerms(
        monocularLoss(
          disparities,
          frames[1]!,
          [frames[0]!, frames[2]!],
          [poseVecToMatrix(p), poseVecToMatrix(n)],
          K as tf.Tensor3D,
          {
            reprojection,
            alpha: settings.alpha,
            smoothness: settings.smoothness,
            minDepth: settings.minDepth,
            maxDepth: settings.maxDepth,
            key: foldIn(stepKey, step),
          },
        ),
      );
    },
    dispose: () => geometry.dispose(),
  };
}

/** The spec fields every depth method shares. */
export const DEPTH_SPEC = {
  task: 'depth',
  keys: depthRunKeys,
} as const satisfies Partial<MethodSpec>;
