import { checkDType, checkShape, checkTensor, type ShapeBindings, ShapeError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Checks a batch of embeddings: a float32 `[B, D]` tensor whose `B` and `D` agree with the other
 * arguments bound in `bindings`, with at least `minRows` rows and one column.
 */
export function checkEmbeddings(
  x: unknown,
  { op, arg, bindings, minRows = 1 }: { op: string; arg: string; bindings: ShapeBindings; minRows?: number },
): asserts x is tf.Tensor2D {
  checkTensor(x, { op, arg });
  checkShape(x, ['B', 'D'], { op, arg, bindings });
  checkDType(x, ['float32'], { op, arg });
  const [rows, columns] = x.shape as [number, number];
  if (rows < minRows || columns < 1) {
    const need = minRows === 1 ? 'at least 1 row' : `at least ${minRows} rows (batch statistics)`;
    throw new ShapeError({
      op,
      argument: arg,
      expected: `[B,D] with ${need} and D >= 1`,
      actual: `[${x.shape.join(',')}]`,
      message: `${op}: '${arg}' has shape [${x.shape.join(',')}] but expected [B,D] with ${need} and D >= 1.`,
    });
  }
}
