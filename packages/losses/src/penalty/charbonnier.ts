import { checkDType, checkNumber, checkOptions, checkTensor, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from '../common/reduction';

import { checkReduction } from '../internal/reduce';

/** Options of {@link charbonnier}. */
export interface CharbonnierOptions<R extends Reduction = Reduction> {
  /** The exponent `alpha > 0`. Default `0.45` (UnFlow; `0.5` is the classic Charbonnier). */
  readonly alpha?: number;
  /** The smoothing `eps > 0`. Default `0.001`. */
  readonly eps?: number;
  /** `'mean'` (default) or `'sum'` over all elements, or `'none'` for the elementwise penalty (shape of `x`). */
  readonly reduction?: R;
}

/** The tensor {@link charbonnier} returns: the elementwise penalty (the type of `x`) for `'none'`, else a scalar. */
export type CharbonnierResult<T extends tf.Tensor, R extends Reduction> = R extends 'none' ? T : tf.Scalar;

const OP = 'charbonnier';

const charbonnierOp = defineOp(OP, (x: tf.Tensor, options: CharbonnierOptions | undefined) => {
  checkOptions(options, ['alpha', 'eps', 'reduction'], { op: OP });
  const { alpha = 0.45, eps = 0.001, reduction = 'mean' } = options ?? {};
  checkTensor(x, { op: OP, arg: 'x' });
  checkDType(x, ['float32'], { op: OP, arg: 'x' });
  checkNumber(alpha, { op: OP, arg: 'alpha', min: 0, exclusiveMin: true });
  checkNumber(eps, { op: OP, arg: 'eps', min: 0, exclusiveMin: true });
  checkReduction(OP, reduction);
  const penalty = tf.pow(tf.add(tf.square(x), eps * eps), alpha);
  if (reduction === 'mean') return tf.mean(penalty);
  if (reduction === 'sum') return tf.sum(penalty);
  return penalty;
});

/**
 * The generalised Charbonnier penalty `(x^2 + eps^2)^alpha`, elementwise: a differentiable, robust
 * stand-in for `|x|` (`alpha = 0.5`) that grows more slowly than it for `alpha < 0.5`. Its minimum,
 * at `x = 0`, is `eps^(2 alpha)` (about `0.002` with the defaults), not 0, and its gradient is finite
 * everywhere.
 *
 * @param x - a float32 tensor of any shape (residuals, e.g. photometric differences or census distances)
 * @param options - `alpha` (default 0.45), `eps` (default 0.001), `reduction` (default `'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the penalty with the shape of `x`
 * @throws ShapeError when `x` is not a tensor; DTypeError when it is not float32
 * @throws ArgumentError when `alpha` or `eps` is not a finite number > 0, or `reduction` is unknown
 * @example
 * ```ts
 * const residual = tf.sub(warped, target); // [B, H, W, C]
 * const loss = charbonnier(residual); // tf.Scalar, mean of (r^2 + 1e-6)^0.45
 * ```
 * @see Sun, Roth, Black, "Secrets of Optical Flow Estimation and Their Principles", CVPR 2010
 * @see Meister, Hur, Roth, "UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss", AAAI 2018, https://arxiv.org/abs/1711.07837
 */
export function charbonnier<T extends tf.Tensor, R extends Reduction = 'mean'>(
  x: T,
  options?: CharbonnierOptions<R>,
): CharbonnierResult<T, R> {
  return charbonnierOp(x, options) as CharbonnierResult<T, R>;
}
