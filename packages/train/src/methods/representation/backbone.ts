import { type Key, splitKey } from '@genoise/core';
import { projectionHead, resnet18, smallConvNet } from '@genoise/models';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { EncoderConfig, RepresentationOptions } from './representation-options';

/** The encoder a config names, `[B,H,W,C] -> [B,D]`, initialised from `key`. */
export function buildEncoder(
  options: { readonly encoder: EncoderConfig },
  imageShape: readonly [number, number, number],
  key: Key,
): tfl.LayersModel {
  const inputShape = [...imageShape] as [number, number, number];
  if (options.encoder.name === 'resnet18') {
    return resnet18({
      inputShape,
      widthMultiplier: options.encoder.widthMultiplier ?? 1,
      smallImageStem: true,
      key,
    });
  }
  return smallConvNet({
    inputShape,
    widths: [...(options.encoder.widths ?? [32, 64, 128])],
    ...(options.encoder.downsampling === undefined ? {} : { downsampling: options.encoder.downsampling }),
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
  options: RepresentationOptions,
  imageShape: readonly [number, number, number],
  key: Key,
): { encoder: tfl.LayersModel; projector: tfl.LayersModel } {
  const [kEncoder, kProjector] = splitKey(key, 2);
  const encoder = buildEncoder(options, imageShape, kEncoder!);
  const projector = projectionHead({
    inputDim: featureDim(encoder),
    hiddenDim: options.projection.hiddenDim,
    outputDim: options.projection.outputDim,
    key: kProjector!,
  });
  return { encoder, projector };
}
