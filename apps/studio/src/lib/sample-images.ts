import { createKey } from '@genoise/core';
import { syntheticStereo } from '@genoise/data';

/** An image the augmentation page can use: HWC floats in [0, 1]. */
export interface SampleImage {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly values: Float32Array;
}

/** A textured synthetic room from @genoise/data, rendered in the browser (the same pixels on every backend). */
export function sceneSample(seed: number, size = 96): SampleImage {
  const pair = syntheticStereo(createKey(seed), { height: size, width: size, objects: 6 });
  return { name: `scene ${seed}`, height: size, width: size, channels: 3, values: pair.left };
}

/** One Fashion-MNIST image (grey, 28x28) from the shipped subset. */
export function fashionSample(pixels: Uint8Array, index: number, side: number, name: string): SampleImage {
  const per = side * side;
  const values = Float32Array.from(pixels.subarray(index * per, (index + 1) * per), (v) => v / 255);
  return { name, height: side, width: side, channels: 1, values };
}

/** The user's picture, centre-cropped to a square and resized to `size` (drawn through a canvas). */
export async function fileSample(file: Blob, size = 96): Promise<SampleImage> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('fileSample: no 2-D canvas context');
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    size,
    size,
  );
  bitmap.close();
  return {
    name: 'your image',
    height: size,
    width: size,
    channels: 3,
    values: rgbaToRgb(context.getImageData(0, 0, size, size).data),
  };
}

/** Drops alpha and scales bytes to [0, 1]. */
export function rgbaToRgb(rgba: Uint8ClampedArray): Float32Array {
  const out = new Float32Array((rgba.length / 4) * 3);
  for (let p = 0; p < rgba.length / 4; p++) {
    out[3 * p] = rgba[4 * p]! / 255;
    out[3 * p + 1] = rgba[4 * p + 1]! / 255;
    out[3 * p + 2] = rgba[4 * p + 2]! / 255;
  }
  return out;
}
