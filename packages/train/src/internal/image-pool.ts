import * as tf from '@tensorflow/tfjs-core';

/** Quantises [0, 1] floats to bytes (a pool of 256 scenes then holds 4x less memory, as 8-bit photos would). */
export function toBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, values[i]!)) * 255);
  return out;
}

/** Byte images `[H, W, 3]` back to one float32 batch `[B, H, W, 3]` in [0, 1]; the caller disposes it. */
export function imageBatch(images: readonly Uint8Array[], height: number, width: number): tf.Tensor4D {
  const pixels = height * width * 3;
  const all = new Float32Array(images.length * pixels);
  images.forEach((image, b) => {
    for (let i = 0; i < pixels; i++) all[b * pixels + i] = image[i]! / 255;
  });
  return tf.tensor4d(all, [images.length, height, width, 3]);
}

/**
 * A cache of rendered examples keyed by index: the whole pool when `poolSize > 0`, else the last
 * `4 · batchSize` of a stream (oldest evicted first).
 */
export function renderCache<T>(
  render: (index: number) => T,
  { poolSize, batchSize }: { readonly poolSize: number; readonly batchSize: number },
): (index: number) => T {
  const keep = poolSize > 0 ? poolSize : 4 * batchSize;
  const cache = new Map<number, T>();
  return (index) => {
    let hit = cache.get(index);
    if (hit === undefined) {
      hit = render(index);
      cache.set(index, hit);
      if (cache.size > keep) cache.delete(cache.keys().next().value as number);
    }
    return hit;
  };
}
