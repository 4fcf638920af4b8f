import {
  checkBoolean,
  checkDType,
  checkNumber,
  checkOptions,
  checkShape,
  checkTensor,
  defineOp,
  l2Normalize,
  ShapeError,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { checkReduction, reduce } from '../internal/reduce';

/** Options of {@link infoNCE}. */
export interface InfoNCEOptions<R extends Reduction = Reduction> {
  /** Softmax temperature `T > 0`. Default `0.1`. */
  readonly temperature?: number;
  /** Score by cosine similarity (rows L2-normalised first) when `true`, by raw dot product when `false`. Default `true`. */
  readonly normalize?: boolean;
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-query losses. */
  readonly reduction?: R;
}

const OP = 'infoNCE';

const infoNCEOp = defineOp(
  OP,
  (query: tf.Tensor, positive: tf.Tensor, negatives: tf.Tensor, options: InfoNCEOptions | undefined) => {
    checkOptions(options, ['temperature', 'normalize', 'reduction'], { op: OP });
    const { temperature = 0.1, normalize = true, reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkEmbeddings(query, { op: OP, arg: 'query', bindings: dims });
    checkEmbeddings(positive, { op: OP, arg: 'positive', bindings: dims });
    checkTensor(negatives, { op: OP, arg: 'negatives' });
    if (negatives.rank === 2) {
      checkShape(negatives, ['N', 'D'], { op: OP, arg: 'negatives', bindings: dims });
    } else if (negatives.rank === 3) {
      checkShape(negatives, ['B', 'N', 'D'], { op: OP, arg: 'negatives', bindings: dims });
    } else {
      throw new ShapeError({
        op: OP,
        argument: 'negatives',
        expected: '[N,D] or [B,N,D]',
        actual: `[${negatives.shape.join(',')}]`,
        message: `${OP}: 'negatives' has shape [${negatives.shape.join(',')}] (rank ${negatives.rank}) but expected [N,D] (shared by all queries) or [B,N,D] (per query).`,
      });
    }
    checkDType(negatives, ['float32'], { op: OP, arg: 'negatives' });
    if ((dims.get('N') ?? 0) < 1) {
      throw new ShapeError({
        op: OP,
        argument: 'negatives',
        expected: 'at least 1 negative (N >= 1)',
        actual: `[${negatives.shape.join(',')}]`,
      });
    }
    checkNumber(temperature, { op: OP, arg: 'temperature', min: 0, exclusiveMin: true });
    checkBoolean(normalize, { op: OP, arg: 'normalize' });
    checkReduction(OP, reduction);

    const q = normalize ? l2Normalize(query) : query; // [B, D]
    const p = normalize ? l2Normalize(positive) : positive; // [B, D]
    const n = normalize ? l2Normalize(negatives) : negatives; // [N, D] or [B, N, D]
    const positiveLogits = tf.div(tf.sum(tf.mul(q, p), 1, true), temperature); // [B, 1]
    const negativeScores =
      n.rank === 2
        ? tf.matMul(q, n as tf.Tensor2D, false, true) // [B, N]
        : tf.squeeze(tf.matMul(n as tf.Tensor3D, tf.expandDims(q, 2)), [2]); // [B, N]
    const logits = tf.concat([positiveLogits, tf.div(negativeScores, temperature)], 1); // [B, 1 + N]
    // -log softmax(logits)[0], with logSumExp subtracting the row maximum: no overflow at small T.
    const perQuery = tf.sub(tf.logSumExp(logits, 1), tf.squeeze(positiveLogits, [1])) as tf.Tensor1D; // [B]
    return reduce(perQuery, reduction);
  },
);

/**
 * InfoNCE (contrastive predictive coding): the cross-entropy of picking each query's positive among
 * the positive and the negatives.
 *
 * `L_b = -log( exp(s(q_b, p_b) / T) / (exp(s(q_b, p_b) / T) + sum_n exp(s(q_b, k_n) / T)) )`, with
 * `s` the cosine similarity (`normalize: true`) or the dot product (`normalize: false`), and the
 * negatives `k_n` either shared by every query (`[N, D]`, e.g. a memory bank) or given per query
 * (`[B, N, D]`). Computed as `logSumExp(logits) - logit_positive`, stable at small `T`. Zero rows are
 * normalised with a norm floor (`x / max(||x||, 1e-8)`), so they score 0 and give no NaN.
 *
 * @param query - `[B, D]` float32 anchors
 * @param positive - `[B, D]` float32, row `b` the positive of query `b`
 * @param negatives - `[N, D]` float32 shared by all queries, or `[B, N, D]` per query; `N >= 1`
 * @param options - `temperature` (default 0.1), `normalize` (default true), `reduction` (default 'mean')
 * @returns a `tf.Scalar` (mean or sum over the batch), or the `[B]` per-query losses for `'none'`
 * @throws ShapeError when a tensor has the wrong rank, when `B` or `D` differ between arguments (the
 *   message names both), or when a size is 0
 * @throws DTypeError when a tensor is not float32
 * @throws ArgumentError when `temperature <= 0`, `normalize` is not a boolean, or `reduction` is unknown
 * @example
 * ```ts
 * const key = createKey(0);
 * const [kq, kn] = splitKey(key);
 * const query = normal(kq, [8, 16]);
 * const positive = tf.add(query, 0.1);                // a close positive per query
 * const negatives = normal(kn, [32, 16]);             // shared negatives
 * const loss = infoNCE(query, positive, negatives);   // tf.Scalar
 * ```
 * @see van den Oord, Li, Vinyals, "Representation Learning with Contrastive Predictive Coding", 2018, https://arxiv.org/abs/1807.03748
 */
export function infoNCE<R extends Reduction = 'mean'>(
  query: tf.Tensor,
  positive: tf.Tensor,
  negatives: tf.Tensor,
  options?: InfoNCEOptions<R>,
): Reduced<R> {
  return infoNCEOp(query, positive, negatives, options) as Reduced<R>;
}
