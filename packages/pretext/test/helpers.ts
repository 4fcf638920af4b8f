// Test-only helpers: random images from keys, a tiny trunk, and nested reads of flat tensors.
import { createKey, type Key, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A float32 batch of uniform values in [0, 1) drawn from `seed`. */
export function randomImages(seed: number, shape: [number, number, number, number]): tf.Tensor4D {
  const [b, h, w, c] = shape;
  return tf.tensor4d(uniformValues(createKey(seed), b * h * w * c), shape);
}

/** A key from a seed. */
export const key = (seed: number): Key => createKey(seed);

/** A tiny conv trunk (conv 3x3 of 4 filters, flatten) for head tests. */
export function tinyTrunk(inputShape: [number, number, number]): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape,
        filters: 4,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: 'glorotUniform',
      }),
      tfl.layers.flatten(),
    ],
  });
}

/** A `[B, H, W, C]` image as nested accessors over a flat Float32Array. */
export class Img {
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly number[],
  ) {}
  static async of(t: tf.Tensor): Promise<Img> {
    return new Img(Float32Array.from(await t.data()), t.shape);
  }
  get(...index: number[]): number {
    let flat = 0;
    for (let d = 0; d < this.shape.length; d++) flat = flat * this.shape[d]! + index[d]!;
    return this.data[flat]!;
  }
}
