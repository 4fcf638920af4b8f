import { checkNumber, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMap } from '../internal/checks';
import { pixelGrid, sampleBilinear } from '../internal/sample';
import { untracked } from '../internal/untracked';

/** Options of {@link forwardBackwardOcclusion}. */
export interface ForwardBackwardOcclusionOptions {
  /** Relative tolerance on the flow magnitudes. Default `0.01` (UnFlow). */
  readonly alpha1?: number;
  /** Absolute tolerance, in squared pixels. Default `0.5` (UnFlow). */
  readonly alpha2?: number;
}

const OP = 'forwardBackwardOcclusion';

/**
 * UnFlow's forward-backward consistency check. With `w_b'(x) = w_b(x + w_f(x))` (the backward flow
 * sampled where the forward flow points, bilinear, border padding), a pixel is occluded where
 * `|w_f + w_b'|² > alpha1 (|w_f|² + |w_b'|²) + alpha2`: the round trip does not come back.
 *
 * The mask is a step function of the flows and is constant to the gradient (as UnFlow stops its gradient).
 *
 * @param flowFw - float32 `[B, H, W, 2]`, frame 1 -> frame 2, pixels
 * @param flowBw - float32 `[B, H, W, 2]`, frame 2 -> frame 1, pixels
 * @param options - `{ alpha1 = 0.01, alpha2 = 0.5 }`
 * @returns float32 `[B, H, W, 1]`: **1 = occluded** (inconsistent), 0 = visible; use `1 - mask` to weight losses
 * @throws ShapeError for ranks, batch or size mismatches; DTypeError; ArgumentError for the options
 * @example
 * ```ts
 * const occluded = forwardBackwardOcclusion(flowFw, flowBw);
 * const visible = tf.sub(1, occluded);
 * ```
 * @see Meister et al. 2018, UnFlow, eq. 2
 */
export const forwardBackwardOcclusion = defineOp(
  OP,
  (flowFw: tf.Tensor4D, flowBw: tf.Tensor4D, options?: ForwardBackwardOcclusionOptions): tf.Tensor4D => {
    const dims = shapeBindings();
    checkMap(flowFw, ['B', 'H', 'W', 2], OP, 'flowFw', dims);
    checkMap(flowBw, ['B', 'H', 'W', 2], OP, 'flowBw', dims);
    const { alpha1 = 0.01, alpha2 = 0.5 } = checkOptions(options, ['alpha1', 'alpha2'], { op: OP });
    checkNumber(alpha1, { op: OP, arg: 'alpha1', min: 0 });
    checkNumber(alpha2, { op: OP, arg: 'alpha2', min: 0 });
    const [, height, width] = flowFw.shape;
    return untracked(() => {
      const coords = tf.add(pixelGrid(height, width), flowFw) as tf.Tensor4D;
      const back = sampleBilinear(flowBw, coords, 'border');
      const sq = (t: tf.Tensor) => tf.sum(tf.square(t), 3, true);
      const mismatch = sq(tf.add(flowFw, back));
      const bound = tf.add(tf.mul(tf.add(sq(flowFw), sq(back)), alpha1), alpha2);
      return tf.cast(tf.greater(mismatch, bound), 'float32') as tf.Tensor4D;
    });
  },
);
