import { checkKey, type Key } from '@genoise/core';
import type { SyntheticViewOptions } from '../synthetic/synthetic-options';
import { checkInteger, checkNumber, checkOptionsObject } from './checks';

/** The checked {@link SyntheticViewOptions} with defaults filled. */
export interface ViewSettings {
  readonly height: number;
  readonly width: number;
  readonly fovDegrees: number;
  readonly samples: number;
  readonly objects: number;
  readonly textureFrequency: number;
}

/** Checks the key, the options object and the shared view options of a synthetic generator `op`. */
export function checkViewSettings(op: string, key: Key, options: SyntheticViewOptions): ViewSettings {
  checkKey(key, op);
  checkOptionsObject(options, op, 'an options object with height and width');
  if (options === undefined) checkInteger(undefined, op, 'height', { min: 1, max: 4096 });
  const { height, width, fovDegrees = 80, samples = 2, objects = 8, textureFrequency = 1 } = options;
  checkInteger(height, op, 'height', { min: 1, max: 4096 });
  checkInteger(width, op, 'width', { min: 1, max: 4096 });
  checkNumber(fovDegrees, op, 'fovDegrees', { min: 0, max: 170, open: true });
  checkInteger(samples, op, 'samples', { min: 1, max: 8 });
  checkInteger(objects, op, 'objects', { min: 0, max: 64 });
  checkNumber(textureFrequency, op, 'textureFrequency', { min: 0, open: true });
  return { height, width, fovDegrees, samples, objects, textureFrequency };
}

/** Checks `batchSize`, a positive integer. */
export function checkBatchSize(op: string, batchSize: unknown): asserts batchSize is number {
  checkInteger(batchSize, op, 'batchSize', { min: 1, max: 4096 });
}

/** Concatenates typed arrays into one Float32Array. */
export function stack(parts: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
