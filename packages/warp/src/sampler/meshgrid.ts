import { checkInteger, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

import { pixelGrid } from '../internal/sample';

const OP = 'meshgrid';

/**
 * The pixel-coordinate map of a `height x width` image: `grid[b, y, x] = (x, y)`, x to the right, y down,
 * pixel centres at integers (so x in `[0, width - 1]`, y in `[0, height - 1]`).
 *
 * @param batch - batch size `B`, an integer >= 1
 * @param height - rows `H`, an integer >= 1
 * @param width - columns `W`, an integer >= 1
 * @returns float32 `[B, H, W, 2]` holding (x, y)
 * @throws ArgumentError when a size is not a positive integer
 * @example
 * ```ts
 * const grid = meshgrid(1, 2, 3); // [[[[0,0],[1,0],[2,0]], [[0,1],[1,1],[2,1]]]]
 * ```
 */
export const meshgrid = defineOp(OP, (batch: number, height: number, width: number): tf.Tensor4D => {
  checkInteger(batch, { op: OP, arg: 'batch', min: 1 });
  checkInteger(height, { op: OP, arg: 'height', min: 1 });
  checkInteger(width, { op: OP, arg: 'width', min: 1 });
  return tf.tile(pixelGrid(height, width), [batch, 1, 1, 1]) as tf.Tensor4D;
});
