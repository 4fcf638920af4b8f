import { checkNumber, checkOptions, defineOp, l2Normalize, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { checkReduction, reduce } from '../internal/reduce';

/** Options of {@link ntXent}. */
export interface NTXentOptions<R extends Reduction = Reduction> {
  /** Softmax temperature `T > 0`. Default `0.5` (CIFAR scale; SimCLR uses 0.1 on ImageNet). */
  readonly temperature?: number;
  /** `'mean'` (default) or `'sum'` over the `2B` anchors, or `'none'` for the `[2B]` per-anchor losses. */
  readonly reduction?: R;
}

/**
 * Subtracted from the self-similarity logits, so `exp` of them is exactly 0 in float32 while the
 * logits stay finite (an `-Infinity` mask would make `0 * Infinity = NaN` appear in the gradient).
 */
const SELF_MASK = 1e9;

const OP = 'ntXent';

const ntXentOp = defineOp(OP, (z1: tf.Tensor, z2: tf.Tensor, options: NTXentOptions | undefined) => {
  checkOptions(options, ['temperature', 'reduction'], { op: OP });
  const { temperature = 0.5, reduction = 'mean' } = options ?? {};
  const dims = shapeBindings();
  checkEmbeddings(z1, { op: OP, arg: 'z1', bindings: dims });
  checkEmbeddings(z2, { op: OP, arg: 'z2', bindings: dims });
  checkNumber(temperature, { op: OP, arg: 'temperature', min: 0, exclusiveMin: true });
  checkReduction(OP, reduction);

  const batch = z1.shape[0] as number;
  const h1 = l2Normalize(z1); // [B, D]
  const h2 = l2Normalize(z2); // [B, D]
  const views = tf.concat([h1, h2], 0); // [2B, D]
  const partners = tf.concat([h2, h1], 0); // [2B, D], row i holds the positive of view i
  const logits = tf.div(tf.matMul(views, views, false, true), temperature); // [2B, 2B]
  const masked = tf.sub(logits, tf.mul(tf.eye(2 * batch), SELF_MASK)); // self-pairs out of the softmax
  const positiveLogits = tf.div(tf.sum(tf.mul(views, partners), 1), temperature); // [2B]
  const perAnchor = tf.sub(tf.logSumExp(masked, 1), positiveLogits) as tf.Tensor1D; // [2B]
  return reduce(perAnchor, reduction);
});

/**
 * NT-Xent, SimCLR's normalised temperature-scaled cross-entropy over two views of a batch.
 *
 * The `2B` views `h = normalize([z1; z2])` are scored by cosine similarity over `T`; each view's
 * positive is its pair (`z1_b` with `z2_b`), the other `2B - 2` views are its negatives, and the view
 * itself is left out:
 * `l_i = -log( exp(cos(h_i, h_pair(i)) / T) / sum_{k != i} exp(cos(h_i, h_k) / T) )`, and the loss is
 * the mean of `l_i` over all `2B` anchors (lightly's convention; google-research/simclr sums the two
 * halves' means, about 2x this value). The self-similarity diagonal is masked by subtracting `1e9`
 * (not `-Infinity`, so gradients stay finite) before a max-subtracted log-sum-exp.
 *
 * @param z1 - `[B, D]` float32 projections of the first view
 * @param z2 - `[B, D]` float32 projections of the second view, row `b` paired with `z1` row `b`
 * @param options - `temperature` (default 0.5), `reduction` (default 'mean')
 * @returns a `tf.Scalar`, or for `'none'` the `[2B]` per-anchor losses: the `z1` anchors, then the `z2` anchors
 * @throws ShapeError when `z1` or `z2` is not `[B, D]`, or their shapes differ (the message names both)
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError when `temperature <= 0` or `reduction` is unknown
 * @example
 * ```ts
 * const [k1, k2] = splitKey(createKey(0));
 * const z1 = normal(k1, [32, 128]);
 * const z2 = tf.add(z1, normal(k2, [32, 128], { std: 0.1 }));
 * const loss = ntXent(z1, z2, { temperature: 0.5 }); // tf.Scalar
 * ```
 * @see Chen, Kornblith, Norouzi, Hinton, "A Simple Framework for Contrastive Learning of Visual Representations" (SimCLR), ICML 2020, https://arxiv.org/abs/2002.05709
 */
export function ntXent<R extends Reduction = 'mean'>(
  z1: tf.Tensor,
  z2: tf.Tensor,
  options?: NTXentOptions<R>,
): Reduced<R> {
  return ntXentOp(z1, z2, options) as Reduced<R>;
}
