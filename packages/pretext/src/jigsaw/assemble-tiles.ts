import { checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

const OP = 'assembleTiles';

/**
 * Lays 9 tiles out on a 3x3 grid, row-major (tile `3i + j` at row `i`, column `j`): the inverse of
 * cutting full cells, for pictures and tests.
 *
 * @param tiles - `[B, 9, T, T, C]`
 * @returns `[B, 3T, 3T, C]`
 * @throws ShapeError unless `tiles` is `[B, 9, T, T, C]`
 * @example
 * ```ts
 * const grid = assembleTiles(jigsawTask(key, images, { permutations: set }).inputs);
 * ```
 */
export const assembleTiles = defineOp(OP, (tiles: tf.Tensor): tf.Tensor4D => {
  const dims = checkShape(tiles, ['B', 9, 'T', 'T', 'C'], { op: OP, arg: 'tiles' });
  const [B, T, C] = [dims.get('B')!, dims.get('T')!, dims.get('C')!];
  const grid = tf.reshape(tiles, [B, 3, 3, T, T, C]); // [B, row, col, y, x, C]
  return tf.reshape(tf.transpose(grid, [0, 1, 3, 2, 4, 5]), [B, 3 * T, 3 * T, C]) as tf.Tensor4D;
});
