import { createHash } from 'node:crypto';
import { createKey, uniformValues } from '@genoise/core';
import { uint8Dataset } from '@genoise/data';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * The record of acceptance point 1 of the one-loop refactor: each method trained for a few steps at a
 * fixed seed on a small config; its loss curve and a SHA-256 of every model's final weights (float32
 * bytes, in checkpoint order). The record was written by the code before the refactor; the test checks
 * the code after it gives the same bits on each backend.
 */
export interface GoldenRun {
  readonly losses: readonly number[];
  /** `name: sha256` per checkpointed model, in checkpoint order. */
  readonly weights: readonly string[];
}

/** Seeded blobs, 12x12 grey: exercises the loop, not the data (as resume.test.ts does). */
export function blobs(count: number, size = 12): ReturnType<typeof uint8Dataset> {
  const values = uniformValues(createKey(5), count * 2);
  const pixels = new Uint8Array(count * size * size);
  for (let n = 0; n < count; n++) {
    const cx = values[2 * n]! * size;
    const cy = values[2 * n + 1]! * size;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        pixels[(n * size + y) * size + x] = Math.max(0, 255 - 40 * Math.hypot(x - cx, y - cy));
  }
  return uint8Dataset({ name: 'blobs', pixels, imageShape: [size, size, 1] });
}

/** `count` colour blobs, 12x12x3 (for methods that need colour, such as colorization): a red-to-blue gradient under each grey blob. */
export function colourBlobs(count: number): ReturnType<typeof uint8Dataset> {
  const grey = blobs(count);
  const values = grey.floatPixels!(Array.from({ length: count }, (_, i) => i));
  const pixels = new Uint8Array(count * 12 * 12 * 3);
  values.forEach((v, i) => {
    const x = i % 12;
    pixels[3 * i] = Math.round(255 * v * (x / 11));
    pixels[3 * i + 1] = Math.round(128 * v);
    pixels[3 * i + 2] = Math.round(255 * v * (1 - x / 11));
  });
  return uint8Dataset({ name: 'colour blobs', pixels, imageShape: [12, 12, 3] });
}

/** Contrastive runs: 5 steps of 16 on 64 blobs. */
export function contrastiveOverrides(name: string) {
  return {
    seed: 11,
    batchSize: 16,
    steps: 5,
    checkpointEvery: 100,
    method: {
      name,
      encoder: { name: 'small-convnet', widths: [8, 16], downsampling: 'strideOnly' },
      projection: { hiddenDim: 32, outputDim: 16 },
      ...(name === 'byol' ? { predictorHiddenDim: 32 } : {}),
      ...(name === 'moco' ? { queueSize: 64 } : {}),
    },
  } as const;
}

/** Geometry runs: 3 steps of 2 at 32x64 on a pool of 4 scenes. */
export function geometryOverrides(name: string) {
  return {
    seed: 7,
    steps: 3,
    batchSize: 2,
    warmupFraction: 0,
    checkpointEvery: 100,
    method: {
      name,
      height: 32,
      width: 64,
      poolSize: 4,
      samples: 1,
      depthNet: { encoderWidths: [8, 8, 16, 16, 16], decoderWidths: [8, 8, 8, 16, 16] },
      ...(name === 'stereo' ? {} : { poseNet: { widths: [8, 16, 16, 16, 16] } }),
    },
  } as const;
}

/** Pretext runs: 4 steps of 16 on 64 blobs (colorization: colour blobs), narrow encoder and heads. */
export function pretextOverrides(name: string) {
  const small: Record<string, Record<string, unknown>> = {
    rotation: { hidden: [8] },
    jigsaw: { permutations: 10, imageSize: 27, tileSize: 7, hidden: [8] },
    'relative-location': { hidden: [8] },
    inpainting: {},
    colorization: { priorImages: 16 },
    dae: { decoderWidths: [8, 8, 8] },
  };
  return {
    seed: 13,
    batchSize: 16,
    steps: 4,
    checkpointEvery: 100,
    method: { name, encoder: { name: 'small-convnet', widths: [8, 16] }, ...small[name] },
  } as const;
}

export const GOLDEN_CONTRASTIVE = ['simclr', 'moco', 'byol'] as const;
export const GOLDEN_GEOMETRY = ['stereo', 'monodepth2', 'sfmlearner'] as const;
export const GOLDEN_PRETEXT = [
  'rotation',
  'jigsaw',
  'relative-location',
  'inpainting',
  'colorization',
  'dae',
] as const;

/** `name: sha256(weights)` per model, in order. */
export async function weightDigests(
  models: readonly { readonly name: string; readonly model: tfl.LayersModel }[],
): Promise<string[]> {
  const out: string[] = [];
  for (const { name, model } of models) {
    const hash = createHash('sha256');
    for (const w of model.weights) {
      const values = (await (w.read() as tf.Tensor).data()) as Float32Array;
      hash.update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    }
    out.push(`${name}: ${hash.digest('hex')}`);
  }
  return out;
}
