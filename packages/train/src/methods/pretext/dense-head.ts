import type { Key } from '@genoise/core';
import { denseDecoder, encoderStages } from '@genoise/models';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** An encoder's stage view and a dense decoder over it: `[B, H, W, C] -> [B, H, W, K]`. */
export interface DenseHead {
  /** The stage taps (shares the encoder's weights). */
  readonly stages: tfl.LayersModel;
  readonly decoder: tfl.LayersModel;
  /** The decoder's output for `x`, in training mode. */
  apply(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

/**
 * A dense decoder on `encoder`'s stage maps, at the encoder's input size. Without `skips` it reads only
 * the deepest stage, so the whole prediction passes through the encoder (the context encoder's
 * bottleneck); with them it is a U-Net.
 */
export function denseHead(
  encoder: tfl.LayersModel,
  options: {
    readonly outputChannels: number;
    readonly skips: boolean;
    readonly key: Key;
    readonly name: string;
    /** The output's size (default the encoder's input size). */
    readonly outputShape?: readonly [number, number];
  },
): DenseHead {
  const stages = encoderStages(encoder);
  const maps = stages.outputs.slice(0, -1);
  const stageShapes = maps.map((o) => o.shape.slice(1) as [number, number, number]);
  const [, height, width] = encoder.inputs[0]!.shape as number[];
  const decoder = denseDecoder({
    stageShapes,
    outputChannels: options.outputChannels,
    outputShape: options.outputShape ?? [height!, width!],
    skips: options.skips,
    key: options.key,
    name: options.name,
  });
  return {
    stages,
    decoder,
    apply(x) {
      const outputs = stages.apply(x, { training: true }) as tf.Tensor[];
      return decoder.apply(outputs.slice(0, -1), { training: true }) as tf.Tensor4D;
    },
    dispose() {
      stages.dispose();
      decoder.dispose();
    },
  };
}
