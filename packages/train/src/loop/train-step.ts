import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Method } from '../method/method';

/** A method with its optimizer and the variables it updates: what {@link trainStep} advances. */
export interface TrainState<M extends Method = Method> {
  readonly method: M;
  readonly optimizer: tf.Optimizer;
  /** `method.trainableVariables()`, read once (the optimizer's state follows this order). */
  readonly variables: tf.Variable[];
}

/** The loss of one step and its named terms, as numbers. */
export interface StepLoss {
  readonly loss: number;
  readonly terms: Readonly<Record<string, number>>;
}

/**
 * One optimisation step, the same for the loop and the studio: sets the learning rate, minimises
 * `method.loss(batch, step)` over the state's variables with the optimizer, disposes the batch, runs
 * `method.afterStep`, and reads the loss and its terms.
 *
 * @param batch - from `method.batch(...)`; this call disposes it
 * @param step - the 0-based step being taken
 * @throws ArgumentError when the loss is not finite (naming the step and the learning rate)
 */
export async function trainStep<M extends Method>(
  state: TrainState<M>,
  batch: tf.TensorContainer,
  step: number,
  { totalSteps, learningRate }: { readonly totalSteps: number; readonly learningRate: number },
): Promise<StepLoss> {
  const { method, optimizer, variables } = state;
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
  let kept: Readonly<Record<string, tf.Scalar>> = {};
  let lossTensor: tf.Scalar;
  try {
    lossTensor = optimizer.minimize(
      () => {
        const result = method.loss(batch as never, step);
        kept = result.terms ?? {};
        for (const t of Object.values(kept)) tf.keep(t);
        return result.loss;
      },
      true,
      variables,
    )!;
  } finally {
    tf.dispose(batch);
  }
  method.afterStep?.(step, totalSteps);
  const terms: Record<string, number> = {};
  try {
    for (const [name, t] of Object.entries(kept)) terms[name] = (await t.data())[0]!;
  } finally {
    tf.dispose(Object.values(kept));
  }
  const loss = (await lossTensor.data())[0]!;
  lossTensor.dispose();
  if (!Number.isFinite(loss)) {
    throw new ArgumentError({
      op: 'trainStep',
      argument: 'learningRate',
      message: `trainStep: the loss became ${loss} at step ${step + 1}; lower the learning rate (now ${learningRate.toExponential(2)}).`,
    });
  }
  return { loss, terms };
}
