import { type Key, splitKey } from '@genoise/core';
import { depthNet, poseNet } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { NamedModel } from '../method/method';
import type { DepthSettings } from './depth-options';

/** The networks of a geometry recipe; the caller disposes them with `dispose()`. */
export interface GeometryModels {
  readonly kind: DepthSettings['kind'];
  /** `[B, H, W, 3] -> ` `scales` disparity maps, finest first: `[B, H/2^s, W/2^s, 2]` (stereo, fractions of the width) or `[..., 1]` in [0, 1]. */
  readonly depth: tfl.LayersModel;
  /** Monocular recipes: `[B, H, W, 9]` (target, previous, next) `-> [B, 2, 6]` axis-angle + translation, read as `srcTransTgt`. */
  readonly pose: tfl.LayersModel | undefined;
  /** Both, named for checkpoints. */
  readonly models: readonly NamedModel[];
  trainableVariables(): tf.Variable[];
  dispose(): void;
}

/**
 * Builds a recipe's networks from `key` (same key, same weights): depthNet (`'left-right'` outputs with
 * `maxDisparity` for stereo, `'left'` otherwise) and, for `monodepth2` and `sfmlearner`, a 3-frame poseNet
 * (batch-normalised when `poseNet.batchNorm`).
 */
export function buildGeometryModels(config: DepthSettings, key: Key): GeometryModels {
  const [depthKey, poseKey] = splitKey(key, 2) as [Key, Key];
  const inputShape: [number, number, number] = [config.height, config.width, 3];
  const stereo = config.kind === 'stereo-pairs';
  const depth = depthNet({
    inputShape,
    encoderWidths: [...config.depthNet.encoderWidths],
    decoderWidths: [...config.depthNet.decoderWidths],
    scales: config.scales,
    outputs: stereo ? 'left-right' : 'left',
    ...(stereo ? { maxDisparity: config.maxDisparity } : {}),
    key: depthKey,
  });
  const pose = stereo
    ? undefined
    : poseNet({
        inputShape,
        frames: 3,
        widths: [...config.poseNet.widths],
        batchNorm: config.poseNet.batchNorm ?? false,
        key: poseKey,
      });
  const models: NamedModel[] = [
    { name: 'depth', model: depth },
    ...(pose ? [{ name: 'pose', model: pose }] : []),
  ];
  return {
    kind: config.kind,
    depth,
    pose,
    models,
    trainableVariables: () =>
      models.flatMap(({ model }) => model.trainableWeights.map((w) => w.read() as tf.Variable)),
    dispose: () => {
      for (const { model } of models) model.dispose();
    },
  };
}

/** depthNet's outputs as a list (a one-scale model returns a single tensor). */
export function disparitiesOf(output: tf.Tensor | tf.Tensor[]): tf.Tensor4D[] {
  return (Array.isArray(output) ? output : [output]) as tf.Tensor4D[];
}

/** Poses of the previous and next frame as `srcTransTgt` input vectors, `[B, 6]` each, from poseNet's `[B, 2, 6]`. */
export function splitPoses(poses: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  const [b] = poses.shape;
  const [previous, next] = tf.split(poses, 2, 1);
  return [tf.reshape(previous!, [b!, 6]), tf.reshape(next!, [b!, 6])];
}
