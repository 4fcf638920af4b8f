import { checkInteger, checkNumber } from '@genoise/core';

/**
 * The InfoNCE lower bound on mutual information, in nats: `I(x; x+) >= log(N + 1) - L`.
 *
 * With one positive and `N` negatives per query, a perfect critic drives the InfoNCE loss `L` to 0
 * and the bound to its ceiling `log(N + 1)`; a chance-level critic has `L = log(N + 1)` and a bound
 * of 0. (The paper counts `N` samples in all, 1 positive and `N - 1` negatives, hence its `log N`.)
 * The bound holds for the expected loss; on one batch it is an estimate.
 *
 * @param loss - the mean InfoNCE loss `L` (nats), a finite number, e.g. `(await infoNCE(q, p, n).data())[0]`
 * @param numNegatives - `N`, the number of negatives per query, an integer `>= 0`
 * @returns `log(N + 1) - L`, in nats
 * @throws ArgumentError when `loss` is not finite or `numNegatives` is not a non-negative integer
 * @example
 * ```ts
 * infoNCEBound(0.5, 255); // log(256) - 0.5 = 5.045 nats
 * ```
 * @see van den Oord, Li, Vinyals, "Representation Learning with Contrastive Predictive Coding", 2018, https://arxiv.org/abs/1807.03748
 * @see Poole et al., "On Variational Bounds of Mutual Information", ICML 2019, https://arxiv.org/abs/1905.06922
 */
export function infoNCEBound(loss: number, numNegatives: number): number {
  checkNumber(loss, { op: 'infoNCEBound', arg: 'loss' });
  checkInteger(numNegatives, { op: 'infoNCEBound', arg: 'numNegatives', min: 0 });
  return Math.log(numNegatives + 1) - loss;
}
