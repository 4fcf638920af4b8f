import { checkDType, checkShape, type DimSpec, type ShapeBindings, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The sentence appended to rank errors of batched maps (images, depth, coordinates, flow). */
export const BATCH_HINT =
  'Maps are batched [B,H,W,C]; add a batch dimension with asBatch(x) or x.expandDims(0).';

/** Sampling padding: what a coordinate outside the image reads. */
export type Padding = 'zeros' | 'border';

/**
 * Checks a float32 batched map against `spec` (rank 4, `[B,H,W,C]`-like), with the batch hint on rank
 * errors. Returns the bindings.
 */
export function checkMap(
  x: unknown,
  spec: readonly DimSpec[],
  op: string,
  arg: string,
  bindings: ShapeBindings = shapeBindings(),
): ShapeBindings {
  checkShape(x, spec, { op, arg, bindings, hint: BATCH_HINT });
  checkDType(x, ['float32'], { op, arg });
  return bindings;
}

/** Checks a float32 tensor against `spec` (matrices, vectors), binding symbols across arguments. */
export function checkFloat(
  x: unknown,
  spec: readonly DimSpec[],
  op: string,
  arg: string,
  bindings: ShapeBindings = shapeBindings(),
): asserts x is tf.Tensor {
  checkShape(x, spec, { op, arg, bindings });
  checkDType(x, ['float32'], { op, arg });
}
