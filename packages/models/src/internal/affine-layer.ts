import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** tfjs-layers' base layer arguments (`name`, `trainable`, ...), used when deserializing. */
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/**
 * A weightless layer `y = scale * x + offset` (tfjs-layers has no serialisable Lambda layer). Used for
 * the pose network's 0.01 output scaling and for disparity ranges `min + (max - min) * sigmoid`.
 * Serialised as `GenoiseAffine` (registered by `registerLayers`).
 */
export class Affine extends tfl.layers.Layer {
  /** Serialization class name. */
  static readonly className = 'GenoiseAffine';
  readonly scale: number;
  readonly offset: number;

  constructor({ scale = 1, offset = 0, ...layerArgs }: { scale?: number; offset?: number } & LayerArgs = {}) {
    super(layerArgs);
    this.scale = scale;
    this.offset = offset;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => {
      const scaled = this.scale === 1 ? x : tf.mul(x, this.scale);
      return this.offset === 0 ? tf.clone(scaled) : tf.add(scaled, this.offset);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
