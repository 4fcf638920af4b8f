import { type Key, splitKey } from '@genoise/core';
import { projectionHead, resnet18, smallConvNet } from '@genoise/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainConfig } from '../config/train-config';

/** The encoder a config names, `[B,H,W,C] -> [B,D]`, initialised from `key`. */
export function buildEncoder(
  config: TrainConfig,
  imageShape: readonly [number, number, number],
  key: Key,
): tfl.LayersModel {
  const inputShape = [...imageShape] as [number, number, number];
  if (config.encoder.name === 'resnet18') {
    return resnet18({
      inputShape,
      widthMultiplier: config.encoder.widthMultiplier ?? 1,
      smallImageStem: true,
      key,
    });
  }
  return smallConvNet({
    inputShape,
    widths: [...(config.encoder.widths ?? [32, 64, 128])],
    ...(config.encoder.downsampling === undefined ? {} : { downsampling: config.encoder.downsampling }),
    key,
  });
}

/** Feature width of an encoder (its output's last dimension). */
export function featureDim(encoder: tfl.LayersModel): number {
  const shape = encoder.outputs[0]!.shape;
  return shape[shape.length - 1] as number;
}

/** Encoder + projection head, the backbone every method shares. */
export function buildBackbone(
  config: TrainConfig,
  imageShape: readonly [number, number, number],
  key: Key,
): { encoder: tfl.LayersModel; projector: tfl.LayersModel } {
  const [kEncoder, kProjector] = splitKey(key, 2);
  const encoder = buildEncoder(config, imageShape, kEncoder!);
  const projector = projectionHead({
    inputDim: featureDim(encoder),
    hiddenDim: config.projection.hiddenDim,
    outputDim: config.projection.outputDim,
    key: kProjector!,
  });
  return { encoder, projector };
}
