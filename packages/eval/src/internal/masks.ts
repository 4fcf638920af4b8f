import { ArgumentError, checkDType, checkShape, type ShapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The threshold above which a mask value counts as set: float 0/1, int32 0/1 and bool masks all work. */
export const MASK_THRESHOLD = 0.5;

/**
 * Checks an optional per-pixel mask `[B, H, W, 1]` (float32, int32 or bool), binding `B`, `H`, `W` with
 * the other arguments of the call.
 */
export function checkMask(
  mask: unknown,
  op: string,
  arg: string,
  bindings: ShapeBindings,
): asserts mask is tf.Tensor | undefined {
  if (mask === undefined) return;
  checkShape(mask, ['B', 'H', 'W', 1], { op, arg, bindings });
  checkDType(mask, ['float32', 'int32', 'bool'], { op, arg });
}

/** Reads a mask as 0/1 bytes (`value > 0.5`), or all ones of length `size` when it is absent. */
export async function readMask(mask: tf.Tensor | undefined, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  if (mask === undefined) return out.fill(1);
  const values = await mask.data();
  for (let i = 0; i < size; i++) out[i] = (values[i] as number) > MASK_THRESHOLD ? 1 : 0;
  return out;
}

/** Throws an ArgumentError when no pixel is valid (every metric needs at least one). */
export function checkSomeValid(count: number, op: string, arg: string): void {
  if (count === 0) {
    throw new ArgumentError({
      op,
      argument: arg,
      expected: 'at least one valid pixel',
      actual: '0',
      message: `${op}: '${arg}' marks no pixel as valid (value > ${MASK_THRESHOLD}); the metrics need at least one.`,
    });
  }
}
