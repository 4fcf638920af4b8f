import { ArgumentError } from '@genoise/core';

/** Options of {@link warmupCosine}. */
export interface WarmupCosineOptions {
  /** Peak learning rate, reached at the end of the warm-up. */
  readonly baseLearningRate: number;
  /** Steps of linear warm-up from `baseLearningRate / warmupSteps` to `baseLearningRate`. */
  readonly warmupSteps: number;
  /** Total steps of the run; the cosine reaches `finalLearningRate` there. */
  readonly totalSteps: number;
  /** Learning rate at the last step. Default 0. */
  readonly finalLearningRate?: number;
}

/**
 * Linear warm-up then cosine decay, the schedule of SimCLR, MoCo v2 and BYOL:
 * `lr(t) = base * (t + 1) / warmup` for `t < warmup`, else
 * `final + (base - final) * (1 + cos(pi * (t - warmup) / (total - warmup))) / 2`.
 *
 * @param step - 0-based step
 * @returns the learning rate for `step` (clamped to the last value after `totalSteps`)
 * @throws ArgumentError for non-positive rates or steps, or `warmupSteps > totalSteps`
 * @example
 * ```ts
 * warmupCosine(0, { baseLearningRate: 1e-3, warmupSteps: 10, totalSteps: 100 }); // 1e-4
 * ```
 * @see Loshchilov & Hutter 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts"
 */
export function warmupCosine(step: number, options: WarmupCosineOptions): number {
  const {
    baseLearningRate: base,
    warmupSteps: warmup,
    totalSteps: total,
    finalLearningRate: final = 0,
  } = options;
  if (!(base > 0) || !(final >= 0) || final > base) {
    throw new ArgumentError({
      op: 'warmupCosine',
      argument: 'baseLearningRate',
      expected: 'base > 0 and 0 <= final <= base',
      actual: `base ${base}, final ${final}`,
    });
  }
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(warmup) || warmup < 0 || warmup > total) {
    throw new ArgumentError({
      op: 'warmupCosine',
      argument: 'warmupSteps',
      expected: 'integers with 0 <= warmupSteps <= totalSteps, totalSteps >= 1',
      actual: `warmup ${warmup}, total ${total}`,
    });
  }
  if (!Number.isInteger(step) || step < 0) {
    throw new ArgumentError({
      op: 'warmupCosine',
      argument: 'step',
      expected: 'a non-negative integer',
      actual: String(step),
    });
  }
  if (step < warmup) return (base * (step + 1)) / warmup;
  const span = Math.max(1, total - warmup);
  const progress = Math.min(1, (step - warmup) / span);
  return final + ((base - final) * (1 + Math.cos(Math.PI * progress))) / 2;
}
