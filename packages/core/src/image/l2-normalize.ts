import * as tf from '@tensorflow/tfjs-core';
import { checkDType, checkTensor } from '../checks/check-shape';
import { checkNumber, checkOptions } from '../checks/check-values';
import { ShapeError } from '../errors/errors';
import { defineOp } from '../ops/define-op';

const OP = 'l2Normalize';

/**
 * The default norm floor of {@link l2Normalize}, `1e-8`.
 *
 * Why this value: it is the floor the contrastive losses have trained with since the first recorded
 * runs, so the training path (and the golden record of loss curves and weights) keeps its bits. It
 * differs from PyTorch's `F.normalize` default (`1e-12`) only for rows with a norm below `1e-8`, which
 * real features never have (a zero row maps to zero under both). Its square, `1e-16`, is a normal
 * float32, so the floor is exact on every backend (`1e-12` squared is `1e-24`, a float32 too, but
 * nothing gained by it here).
 */
export const L2_NORMALIZE_EPSILON = 1e-8;

/** Options of {@link l2Normalize}. */
export interface L2NormalizeOptions {
  /** The norm floor: rows shorter than this are divided by it. Default {@link L2_NORMALIZE_EPSILON}. */
  readonly eps?: number;
}

/**
 * Scales each vector along the last axis to unit L2 length:
 * `x / max(||x||, eps)`, written as `x * rsqrt(max(sum(x^2), eps^2))` so the gradient stays finite at
 * `x = 0` (`maximum` sends no gradient to the clamped branch, where `sqrt` would send an infinite one).
 * A zero row maps to zero, with no NaN in the value or the gradient.
 *
 * One home for the embeddings of the contrastive losses and the cosine search of evaluation.
 *
 * @param x - float32, rank >= 1, e.g. `[B, D]` embeddings; normalised along the last axis
 * @param options - `eps`, the norm floor (default `1e-8`, see {@link L2_NORMALIZE_EPSILON})
 * @returns the same shape as `x`
 * @throws ShapeError when `x` is a scalar; DTypeError when it is not float32
 * @throws ArgumentError when `eps` is not a finite number > 0
 * @example
 * ```ts
 * const z = l2Normalize(embeddings); // [B, D], each row of length 1
 * const cosine = tf.matMul(z, z, false, true); // [B, B]
 * ```
 * @see https://pytorch.org/docs/stable/generated/torch.nn.functional.normalize.html
 */
export const l2Normalize: <T extends tf.Tensor>(x: T, options?: L2NormalizeOptions) => T = defineOp(
  OP,
  (x: tf.Tensor, options?: L2NormalizeOptions): tf.Tensor => {
    const { eps = L2_NORMALIZE_EPSILON } = checkOptions(options, ['eps'], { op: OP });
    checkTensor(x, { op: OP, arg: 'x' });
    if (x.rank === 0) {
      throw new ShapeError({
        op: OP,
        argument: 'x',
        expected: 'rank >= 1',
        actual: '[]',
        message: `${OP}: 'x' is a scalar but expected rank >= 1 (vectors along the last axis).`,
      });
    }
    checkDType(x, ['float32'], { op: OP, arg: 'x' });
    checkNumber(eps, { op: OP, arg: 'eps', min: 0, exclusiveMin: true });
    const squaredNorm = tf.sum(tf.square(x), -1, true);
    return tf.mul(x, tf.rsqrt(tf.maximum(squaredNorm, eps * eps)));
  },
) as <T extends tf.Tensor>(x: T, options?: L2NormalizeOptions) => T;
