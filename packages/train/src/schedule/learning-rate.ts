import type { TrainConfig } from '../config/train-config';
import { warmupCosine } from './warmup-cosine';

/**
 * The learning rate of `step` (0-based) in a run of `totalSteps`: linear warm-up over
 * `round(warmupFraction · totalSteps)` steps, then cosine to 0 (`'cosine'`) or the peak rate until the
 * last quarter and a tenth of it after (`'step'`, Monodepth2's schedule).
 */
export function learningRateAt(
  config: Pick<TrainConfig, 'learningRate' | 'warmupFraction' | 'schedule'>,
  step: number,
  totalSteps: number,
): number {
  const warmupSteps = Math.round(config.warmupFraction * totalSteps);
  if (config.schedule === 'cosine')
    return warmupCosine(step, { baseLearningRate: config.learningRate, warmupSteps, totalSteps });
  if (step < warmupSteps) return (config.learningRate * (step + 1)) / warmupSteps;
  return step < Math.floor(0.75 * totalSteps) ? config.learningRate : 0.1 * config.learningRate;
}
