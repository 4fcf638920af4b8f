import { checkDType, checkShape, type DimSpec, type ShapeBindings, ShapeError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

const BATCH_HINT =
  'Images and maps are batched [B,H,W,C]; add a batch dimension with asBatch(image) or image.expandDims(0).';

/**
 * Checks a float32 `[B, H, W, channels]` tensor whose symbols agree with the other arguments bound in
 * `bindings` (`channels` is a symbol such as `'C'` or an exact size such as `1`).
 */
export function checkMap(
  x: unknown,
  {
    op,
    arg,
    bindings,
    channels = 'C',
  }: { op: string; arg: string; bindings: ShapeBindings; channels?: DimSpec },
): asserts x is tf.Tensor4D {
  checkShape(x, ['B', 'H', 'W', channels], { op, arg, bindings, hint: BATCH_HINT });
  checkDType(x, ['float32'], { op, arg });
}

/** Throws a `ShapeError` unless `x`'s height and width are both at least `min` (`why` ends the message). */
export function checkMinSize(op: string, arg: string, x: tf.Tensor, min: number, why: string): void {
  const [, height, width] = x.shape as [number, number, number, number];
  if (height < min || width < min) {
    throw new ShapeError({
      op,
      argument: arg,
      expected: `H >= ${min} and W >= ${min}`,
      actual: `[${x.shape.join(',')}]`,
      message: `${op}: '${arg}' has shape [${x.shape.join(',')}] but H and W must be at least ${min} (${why}).`,
    });
  }
}

/** Throws a `ShapeError` unless `x` has 1 or 3 channels (grayscale or RGB). */
export function checkGrayOrRgb(op: string, arg: string, x: tf.Tensor): void {
  const channels = x.shape[3];
  if (channels !== 1 && channels !== 3) {
    throw new ShapeError({
      op,
      argument: arg,
      expected: '1 or 3 channels',
      actual: `${channels}`,
      message: `${op}: '${arg}' has ${channels} channels (shape [${x.shape.join(',')}]) but expected 1 or 3.`,
    });
  }
}
