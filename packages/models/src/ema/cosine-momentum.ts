import { checkNumber } from '@genoise/core';

const OP = 'cosineMomentum';

/**
 * BYOL's cosine schedule of the target momentum, rising from `base` at step 0 to 1 at `totalSteps`:
 * `m(step) = 1 - (1 - base) * (cos(pi * step / totalSteps) + 1) / 2`.
 *
 * @param step - current step, in [0, totalSteps]
 * @param totalSteps - length of the schedule, a positive number
 * @param base - momentum at step 0, in [0, 1]. Default 0.99 (BYOL's 0.996 at batch 4096; 0.99 for
 *   small data)
 * @returns the momentum for {@link emaUpdate}, in [base, 1]
 * @throws ArgumentError when `totalSteps` is not positive, `step` is outside [0, totalSteps], or
 *   `base` is outside [0, 1]
 * @example
 * ```ts
 * cosineMomentum(0, 100);   // 0.99
 * cosineMomentum(50, 100);  // 0.995
 * cosineMomentum(100, 100); // 1
 * ```
 * @see Grill et al., "Bootstrap Your Own Latent" (BYOL), NeurIPS 2020, https://arxiv.org/abs/2006.07733
 */
export function cosineMomentum(step: number, totalSteps: number, base = 0.99): number {
  checkNumber(totalSteps, { op: OP, arg: 'totalSteps', min: 0, exclusiveMin: true });
  checkNumber(step, { op: OP, arg: 'step', min: 0, max: totalSteps });
  checkNumber(base, { op: OP, arg: 'base', min: 0, max: 1 });
  return 1 - ((1 - base) * (Math.cos((Math.PI * step) / totalSteps) + 1)) / 2;
}
