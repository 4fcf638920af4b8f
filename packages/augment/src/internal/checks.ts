import {
  ArgumentError,
  checkImages,
  checkInteger,
  checkKey,
  describeValue,
  type Key,
  type ShapeBindings,
} from '@genoise/core';
import type { ImageSize } from '../augmentation/augmentation';

/** A `[min, max]` pair of numbers. */
export type Range = readonly [number, number];

/**
 * Throws unless `range` is `[min, max]` of finite numbers with `low <= min <= max <= high`
 * (`low < min` when `exclusiveLow`).
 */
export function checkRange(
  op: string,
  argument: string,
  range: unknown,
  { low = Number.NEGATIVE_INFINITY, high = Number.POSITIVE_INFINITY, exclusiveLow = false } = {},
): Range {
  const ok =
    Array.isArray(range) &&
    range.length === 2 &&
    range.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    (exclusiveLow ? range[0] > low : range[0] >= low) &&
    range[0] <= range[1] &&
    range[1] <= high;
  if (!ok) {
    const lowText = Number.isFinite(low) ? `${low} ${exclusiveLow ? '<' : '<='} ` : '';
    const highText = Number.isFinite(high) ? ` <= ${high}` : '';
    throw new ArgumentError({
      op,
      argument,
      expected: `[min, max] with ${lowText}min <= max${highText}`,
      actual: describeValue(range),
    });
  }
  return [range[0], range[1]] as const;
}

/** Checks the arguments of an augmentation's `sample`. */
export function checkSampleArgs(op: string, key: Key, batchSize: number, imageSize: ImageSize): void {
  checkKey(key, op);
  checkInteger(batchSize, { op, arg: 'batchSize', min: 1 });
  if (typeof imageSize !== 'object' || imageSize === null) {
    throw new ArgumentError({
      op,
      argument: 'imageSize',
      expected: '{ height, width, channels } of positive integers',
      actual: describeValue(imageSize),
    });
  }
  checkInteger(imageSize.height, { op, arg: 'imageSize.height', min: 1 });
  checkInteger(imageSize.width, { op, arg: 'imageSize.width', min: 1 });
  checkInteger(imageSize.channels, { op, arg: 'imageSize.channels', min: 1 });
}

/** Channel counts accepted by ops that treat channels alike (geometry, noise, blur, erasing). */
export const ANY_CHANNELS = [1, 2, 3, 4] as const;

/**
 * Checks the arguments of an augmentation's `apply`: the images (float32 `[B,H,W,C]`, `C` in
 * `channels`) and that `applied` has one entry per sample. Returns the bound sizes.
 */
export function checkApplyArgs(
  op: string,
  images: unknown,
  params: unknown,
  channels: readonly number[] = [1, 3],
): ShapeBindings {
  const dims = checkImages(images, { op, arg: 'images', channels });
  const batch = dims.get('B')!;
  const applied = (params as { applied?: unknown } | null | undefined)?.applied;
  if (!(applied instanceof Uint8Array)) {
    throw new ArgumentError({
      op,
      argument: 'params',
      expected: `params from ${op}'s sample() (with an 'applied' Uint8Array)`,
      actual: describeValue(params === null || typeof params !== 'object' ? params : Object.keys(params)),
    });
  }
  if (applied.length !== batch) {
    throw new ArgumentError({
      op,
      argument: 'params',
      message: `${op}: 'params' were sampled for a batch of ${applied.length} but 'images' has ${batch} (shape [${(images as { shape: number[] }).shape.join(',')}]); sample with the images' batch size.`,
    });
  }
  return dims;
}

/** Throws when a typed array in the params does not have `expected` entries. */
export function checkParamLength(
  op: string,
  name: string,
  values: ArrayLike<number>,
  expected: number,
): void {
  if (values === undefined || values.length !== expected) {
    throw new ArgumentError({
      op,
      argument: `params.${name}`,
      expected: `${expected} values`,
      actual: values === undefined ? 'undefined' : `${values.length} values`,
    });
  }
}
