import * as tf from '@tensorflow/tfjs-core';
import { type CheckContext, checkDType, checkShape, type ShapeBindings } from '../checks/check-shape';
import { ArgumentError, ShapeError } from '../errors/errors';
import { defineOp } from '../ops/define-op';

/** Options of {@link checkImages}. */
export interface ImageCheckOptions extends Pick<CheckContext, 'op' | 'arg' | 'bindings'> {
  /** Allowed channel counts. Default `[1, 3]`. */
  readonly channels?: readonly number[];
}

/**
 * Checks the pinned image convention: a float32 `[B, H, W, C]` tensor with `C` in `channels`.
 * A rank-3 image gets an error that says how to add the batch dimension.
 *
 * @returns the bindings, with `B`, `H`, `W` and `C` bound
 * @throws ShapeError for the rank or channels; DTypeError for a non-float32 tensor
 */
export function checkImages(
  x: unknown,
  { op, arg, bindings, channels = [1, 3] }: ImageCheckOptions,
): ShapeBindings {
  const dims = checkShape(x, ['B', 'H', 'W', 'C'], {
    op,
    arg,
    ...(bindings ? { bindings } : {}),
    hint: 'Images are batched [B,H,W,C]; add a batch dimension with asBatch(image) or image.expandDims(0).',
  });
  checkDType(x, ['float32'], { op, arg });
  const c = (x as tf.Tensor).shape[3]!;
  if (!channels.includes(c)) {
    throw new ShapeError({
      op,
      argument: arg,
      expected: `${channels.join(' or ')} channels`,
      actual: `${c}`,
      message: `${op}: '${arg}' has ${c} channels (shape [${(x as tf.Tensor).shape.join(',')}]) but expected ${channels.join(' or ')}.`,
    });
  }
  return dims;
}

/** A single `[H, W, C]` image as a batch of one, `[1, H, W, C]`; a batch is returned as is. */
export const asBatch = defineOp('asBatch', (image: tf.Tensor): tf.Tensor4D => {
  if (image instanceof tf.Tensor && image.rank === 4) return image.clone() as tf.Tensor4D;
  checkShape(image, ['H', 'W', 'C'], { op: 'asBatch', arg: 'image' });
  return image.expandDims(0) as tf.Tensor4D;
});

/**
 * Converts 8-bit pixel values to float images in [0, 1]: `x / 255`.
 *
 * @param data - a `Uint8Array`/`Uint8ClampedArray` of `B*H*W*C` values (with `shape`), or an int32
 *   tensor `[B, H, W, C]` of values 0..255
 * @param shape - `[B, H, W, C]`, required with a typed array
 * @returns float32 `[B, H, W, C]`
 * @example
 * ```ts
 * const images = fromUint8(bytes, [1, 28, 28, 1]);
 * ```
 */
export function fromUint8(
  data: Uint8Array | Uint8ClampedArray | tf.Tensor,
  shape?: readonly [number, number, number, number],
): tf.Tensor4D {
  if (data instanceof tf.Tensor) {
    checkShape(data, ['B', 'H', 'W', 'C'], {
      op: 'fromUint8',
      arg: 'data',
      hint: 'Add a batch dimension with asBatch(image).',
    });
    checkDType(data, ['int32', 'float32'], { op: 'fromUint8', arg: 'data' });
    return tf.tidy('fromUint8', () => tf.div(tf.cast(data, 'float32'), 255)) as tf.Tensor4D;
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new ArgumentError({
      op: 'fromUint8',
      argument: 'data',
      expected: 'a Uint8Array or an int32 tensor',
      actual: typeof data,
    });
  }
  if (shape === undefined || shape.length !== 4 || shape.reduce((a, b) => a * b, 1) !== data.length) {
    throw new ShapeError({
      op: 'fromUint8',
      argument: 'shape',
      expected: `[B,H,W,C] with B*H*W*C = ${data.length}`,
      actual: shape === undefined ? 'undefined' : `[${shape.join(',')}]`,
    });
  }
  const floats = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) floats[i] = data[i]! / 255;
  return tf.tensor4d(floats, [...shape]);
}

/**
 * Converts float images in [0, 1] to 8-bit values, `round(clip(x, 0, 1) * 255)`, as an int32 tensor
 * (tfjs has no uint8 dtype); read it with `await t.data()` and wrap in a `Uint8Array`.
 *
 * @param images - float32 `[B, H, W, C]`
 */
export const toUint8 = defineOp('toUint8', (images: tf.Tensor): tf.Tensor4D => {
  checkImages(images, { op: 'toUint8', arg: 'images', channels: [1, 2, 3, 4] });
  return tf.cast(tf.round(tf.mul(tf.clipByValue(images, 0, 1), 255)), 'int32') as tf.Tensor4D;
});

/** ITU-R BT.601 luma weights, as torchvision's `rgb_to_grayscale` and kornia use. */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/**
 * RGB to grayscale: `Y = 0.299 R + 0.587 G + 0.114 B`.
 *
 * @param images - float32 `[B, H, W, 3]`
 * @param options.keepChannels - return `[B, H, W, 3]` with Y repeated (default false: `[B, H, W, 1]`)
 */
export const grayscale = defineOp(
  'grayscale',
  (images: tf.Tensor, { keepChannels = false }: { keepChannels?: boolean } = {}): tf.Tensor4D => {
    checkImages(images, { op: 'grayscale', arg: 'images', channels: [3] });
    const y = tf.sum(tf.mul(images, tf.tensor1d(LUMA_WEIGHTS as unknown as number[])), -1, true);
    return (keepChannels ? tf.tile(y, [1, 1, 1, 3]) : y) as tf.Tensor4D;
  },
);
