import { resizeBilinear } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** tfjs-layers' base layer arguments (`name`, `trainable`, ...), used when deserializing. */
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/**
 * A weightless layer resizing `[B, h, w, C]` maps to `[B, height, width, C]` with `@genoise/core`'s
 * `resizeBilinear` (half-pixel centres, gradient checked; tfjs 4.22's own `ResizeBilinearGrad` ignores
 * half-pixel centres). Serialised as `GenoiseResize` (registered by `registerLayers`).
 */
export class Resize extends tfl.layers.Layer {
  /** Serialization class name. */
  static readonly className = 'GenoiseResize';
  readonly height: number;
  readonly width: number;

  constructor({ height, width, ...layerArgs }: { height: number; width: number } & LayerArgs) {
    super(layerArgs);
    this.height = height;
    this.width = width;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [shape[0] ?? null, this.height, this.width, shape[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const same = x.shape[1] === this.height && x.shape[2] === this.width;
    return same ? tf.clone(x) : resizeBilinear(x, [this.height, this.width]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}
