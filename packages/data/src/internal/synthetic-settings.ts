import { checkInteger, checkKey, checkNumber, checkOptions, type Key } from '@genoise/core';
import type { SyntheticViewOptions } from '../synthetic/synthetic-options';

/** The checked {@link SyntheticViewOptions} with defaults filled. */
export interface ViewSettings {
  readonly height: number;
  readonly width: number;
  readonly fovDegrees: number;
  readonly samples: number;
  readonly objects: number;
  readonly textureFrequency: number;
}

/** The option names of {@link SyntheticViewOptions}, shared by every synthetic generator. */
export const VIEW_KEYS = ['height', 'width', 'fovDegrees', 'samples', 'objects', 'textureFrequency'] as const;

/**
 * Checks the key, the options object (its keys among `VIEW_KEYS` and `extraKeys`, the generator's own
 * options) and the shared view options of a synthetic generator `op`.
 */
export function checkViewSettings(
  op: string,
  key: Key,
  options: SyntheticViewOptions,
  extraKeys: readonly string[],
): ViewSettings {
  checkKey(key, op);
  checkOptions(options, [...VIEW_KEYS, ...extraKeys], { op });
  if (options === undefined) checkInteger(undefined, { op, arg: 'height', min: 1, max: 4096 });
  const { height, width, fovDegrees = 80, samples = 2, objects = 8, textureFrequency = 1 } = options;
  checkInteger(height, { op, arg: 'height', min: 1, max: 4096 });
  checkInteger(width, { op, arg: 'width', min: 1, max: 4096 });
  checkNumber(fovDegrees, { op, arg: 'fovDegrees', min: 0, max: 170, exclusiveMin: true });
  checkInteger(samples, { op, arg: 'samples', min: 1, max: 8 });
  checkInteger(objects, { op, arg: 'objects', min: 0, max: 64 });
  checkNumber(textureFrequency, { op, arg: 'textureFrequency', min: 0, exclusiveMin: true });
  return { height, width, fovDegrees, samples, objects, textureFrequency };
}

/** Checks `batchSize`, a positive integer. */
export function checkBatchSize(op: string, batchSize: unknown): asserts batchSize is number {
  checkInteger(batchSize, { op, arg: 'batchSize', min: 1, max: 4096 });
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
