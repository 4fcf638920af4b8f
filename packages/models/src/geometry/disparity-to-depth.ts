import { checkNumber, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link disparityToDepth}. */
export interface DisparityToDepthOptions {
  /** Depth at disparity 1. Default 0.1 (Monodepth2). */
  readonly minDepth?: number;
  /** Depth at disparity 0. Default 100 (Monodepth2). */
  readonly maxDepth?: number;
}

/** What {@link disparityToDepth} returns; both the shape of the input. */
export type DisparityToDepthResult = {
  /** `1/maxDepth + (1/minDepth - 1/maxDepth) * disp`, in `[1/maxDepth, 1/minDepth]` for disp in [0, 1]. */
  readonly scaledDisparity: tf.Tensor4D;
  /** `1 / scaledDisparity`, in `[minDepth, maxDepth]` for disp in [0, 1]. */
  readonly depth: tf.Tensor4D;
};

const OP = 'disparityToDepth';

/**
 * Converts a network's sigmoid disparity to depth as Monodepth2's `disp_to_depth` does:
 * `scaled = 1/maxDepth + (1/minDepth - 1/maxDepth) * disp`, `depth = 1 / scaled`, so disp 0 is
 * `maxDepth` and disp 1 is `minDepth`. Differentiable; runs in its own tidy scope.
 *
 * @param disparity - `[B, H, W, K]` disparities in [0, 1] (a {@link depthNet} output; K = 1 usually)
 * @param options - see {@link DisparityToDepthOptions}
 * @returns `{ scaledDisparity, depth }`, each `[B, H, W, K]`, owned by the caller
 * @throws ShapeError when `disparity` is not rank 4; ArgumentError unless 0 < minDepth < maxDepth (finite)
 * @example
 * ```ts
 * const { depth } = disparityToDepth(tf.fill([1, 2, 2, 1], 0.5)); // 1 / (0.01 + 9.99 * 0.5) ≈ 0.1998
 * ```
 * @see Godard et al., Monodepth2, ICCV 2019, https://arxiv.org/abs/1806.01260 (`layers.py`, `disp_to_depth`)
 */
export const disparityToDepth = defineOp(
  OP,
  (disparity: tf.Tensor4D, options: DisparityToDepthOptions = {}): DisparityToDepthResult => {
    checkShape(disparity, ['B', 'H', 'W', null], { op: OP, arg: 'disparity' });
    const { minDepth = 0.1, maxDepth = 100 } = options;
    checkNumber(minDepth, { op: OP, arg: 'minDepth', min: 0, exclusiveMin: true });
    checkNumber(maxDepth, { op: OP, arg: 'maxDepth', min: minDepth, exclusiveMin: true });
    const minDisparity = 1 / maxDepth;
    const maxDisparity = 1 / minDepth;
    const scaledDisparity = tf.add(
      tf.mul(disparity, maxDisparity - minDisparity),
      minDisparity,
    ) as tf.Tensor4D;
    const depth = tf.div(1, scaledDisparity) as tf.Tensor4D;
    return { scaledDisparity, depth };
  },
);
