import type * as tf from '@tensorflow/tfjs-core';

/**
 * How a loss reduces its per-anchor or per-pixel values: `'mean'` (the default everywhere) and `'sum'`
 * give a scalar, `'none'` gives the unreduced values, one per anchor (`[B]`, or `[2B]` for NT-Xent) or
 * one per pixel (`[B, H, W, 1]` for the photometric losses).
 *
 * @see https://optax.readthedocs.io (optax returns unreduced losses on request, as genoise does)
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * The tensor type a loss returns for a given {@link Reduction}: `tf.Tensor1D` for `'none'`, otherwise a
 * `tf.Scalar`. A reduction only known at run time (the whole union) gives the union of both.
 *
 * @example
 * ```ts
 * const perAnchor: Reduced<'none'> = ntXent(z1, z2, { reduction: 'none' }); // tf.Tensor1D, [2B]
 * ```
 */
export type Reduced<R extends Reduction> = R extends 'none' ? tf.Tensor1D : tf.Scalar;

/**
 * The tensor type a per-pixel loss returns for a given {@link Reduction}: the `[B, H, W, 1]` map
 * (`tf.Tensor4D`) for `'none'`, otherwise a `tf.Scalar`.
 *
 * @example
 * ```ts
 * const perPixel: PixelReduced<'none'> = ssimLoss(x, y, { reduction: 'none' }); // [B, H, W, 1]
 * ```
 */
export type PixelReduced<R extends Reduction> = R extends 'none' ? tf.Tensor4D : tf.Scalar;
