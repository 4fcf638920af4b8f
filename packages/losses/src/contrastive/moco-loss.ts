import {
  ArgumentError,
  checkNumber,
  checkOptions,
  checkShape,
  defineOp,
  l2Normalize,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduced, Reduction } from '../common/reduction';
import { checkEmbeddings } from '../internal/checks';
import { checkReduction, reduce } from '../internal/reduce';
import { stopGradient } from '../internal/stop-gradient';
import { MemoryQueue } from '../queue/memory-queue';

/** Options of {@link mocoLoss}. */
export interface MocoLossOptions<R extends Reduction = Reduction> {
  /** Softmax temperature `T > 0`. Default `0.2` (MoCo v2; v1 used 0.07). */
  readonly temperature?: number;
  /** `'mean'` (default) or `'sum'` over the batch, or `'none'` for the `[B]` per-query losses. */
  readonly reduction?: R;
}

const OP = 'mocoLoss';

const mocoLossOp = defineOp(
  OP,
  (query: tf.Tensor, key: tf.Tensor, queue: MemoryQueue, options: MocoLossOptions | undefined) => {
    checkOptions(options, ['temperature', 'reduction'], { op: OP });
    const { temperature = 0.2, reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkEmbeddings(query, { op: OP, arg: 'query', bindings: dims });
    checkEmbeddings(key, { op: OP, arg: 'key', bindings: dims });
    if (!(queue instanceof MemoryQueue)) {
      throw new ArgumentError({
        op: OP,
        argument: 'queue',
        expected: 'a MemoryQueue',
        actual: String(queue),
      });
    }
    if (queue.isDisposed) {
      throw new ArgumentError({
        op: OP,
        argument: 'queue',
        message: `${OP}: 'queue' was disposed; pass a live MemoryQueue.`,
      });
    }
    const negatives = queue.get(); // [K, D], unit rows, owned by the queue
    checkShape(negatives, ['K', 'D'], { op: OP, arg: 'queue', bindings: dims });
    checkNumber(temperature, { op: OP, arg: 'temperature', min: 0, exclusiveMin: true });
    checkReduction(OP, reduction);

    const q = l2Normalize(query); // [B, D]
    const k = stopGradient(l2Normalize(key)); // [B, D], no gradient to the key encoder
    const positiveLogits = tf.div(tf.sum(tf.mul(q, k), 1, true), temperature); // [B, 1]
    const negativeLogits = tf.div(tf.matMul(q, negatives, false, true), temperature); // [B, K]
    const logits = tf.concat([positiveLogits, negativeLogits], 1); // [B, 1 + K], label 0
    const perQuery = tf.sub(tf.logSumExp(logits, 1), tf.squeeze(positiveLogits, [1])) as tf.Tensor1D; // [B]
    return reduce(perQuery, reduction);
  },
);

/**
 * MoCo's contrastive loss: each query must pick its key (label 0) among the key and the `K` queued
 * negatives.
 *
 * With `q = normalize(query)`, `k = stopGradient(normalize(key))` and the queue's unit rows `n_j`:
 * `L_b = -log( exp(q_b . k_b / T) / (exp(q_b . k_b / T) + sum_j exp(q_b . n_j / T)) )`. The key is
 * stop-gradient (the key encoder is a momentum copy, updated by EMA, not by backprop), and the queue
 * is a constant. Score against the queue first, then `queue.enqueue(key)`.
 *
 * @param query - `[B, D]` float32 query-encoder outputs
 * @param key - `[B, D]` float32 momentum-encoder outputs; receives exactly zero gradient
 * @param queue - a live {@link MemoryQueue} of `[K, D]` negatives (same `D`)
 * @param options - `temperature` (default 0.2), `reduction` (default 'mean')
 * @returns a `tf.Scalar`, or the `[B]` per-query losses for `'none'`
 * @throws ShapeError when `query` or `key` is not `[B, D]`, or `B`/`D` differ between `query`, `key`
 *   and the queue (the message names both arguments)
 * @throws DTypeError when `query` or `key` is not float32
 * @throws ArgumentError when `queue` is not a live MemoryQueue, `temperature <= 0` or `reduction` is unknown
 * @example
 * ```ts
 * const queue = new MemoryQueue({ size: 4096, dim: 128, key: createKey(0) });
 * const loss = mocoLoss(q, k, queue);  // q, k: [B, 128]
 * queue.enqueue(k);
 * ```
 * @see He, Fan, Wu, Xie, Girshick, "Momentum Contrast for Unsupervised Visual Representation Learning", CVPR 2020, https://arxiv.org/abs/1911.05722
 * @see Chen, Fan, Girshick, He, "Improved Baselines with Momentum Contrastive Learning" (MoCo v2), 2020, https://arxiv.org/abs/2003.04297
 */
export function mocoLoss<R extends Reduction = 'mean'>(
  query: tf.Tensor,
  key: tf.Tensor,
  queue: MemoryQueue,
  options?: MocoLossOptions<R>,
): Reduced<R> {
  return mocoLossOp(query, key, queue, options) as Reduced<R>;
}
