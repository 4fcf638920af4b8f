import { checkInteger, checkNumber, foldIn, type Key, permutationValues } from '@genoise/core';
import { trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { stepIndices } from '../loop/fit';
import { type TrainState, trainStep } from '../loop/train-step';
import type { Method, MethodLoss } from '../method/method';
import { learningRateAt } from '../schedule/learning-rate';

/** Labelled examples a fine-tuning run reads: `batch(indices)` gives inputs and targets, the caller disposes them. */
export interface FineTuneData<B extends tf.TensorContainer> {
  readonly size: number;
  batch(indices: readonly number[]): B;
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions<B extends tf.TensorContainer> {
  /** The models whose weights are trained (a pretrained encoder and a fresh head, say), updated in place. */
  readonly models: readonly tfl.LayersModel[];
  /** The labelled training examples. */
  readonly data: FineTuneData<B>;
  /** The supervised loss of a batch, inside the optimizer's tape. */
  loss(batch: B): MethodLoss;
  /** Optimisation steps. */
  readonly steps: number;
  readonly batchSize: number;
  /** Peak learning rate (Adam, linear warm-up over 5% then cosine). Default 1e-3. */
  readonly learningRate?: number;
  /** Draws the data order. */
  readonly key: Key;
  /** Called after each step with its loss. */
  onStep?(step: number, loss: number): void;
}

const OP = 'fineTune';

/**
 * Supervised fine-tuning with the loop's own step (`trainStep`): Adam over every weight of `models`,
 * warm-up then cosine, batches drawn in a keyed order (reshuffled each epoch; a batch larger than the
 * data is the whole data). For the transfer experiments: a pretrained encoder and a fresh head against
 * the same network from scratch, on the same labels and the same order.
 *
 * @returns the loss of each step
 * @throws ArgumentError for a bad step count, batch size or learning rate
 */
export async function fineTune<B extends tf.TensorContainer>(options: FineTuneOptions<B>): Promise<number[]> {
  const { models, data, loss, steps, batchSize, learningRate = 1e-3, key, onStep } = options;
  checkInteger(steps, { op: OP, arg: 'steps', min: 1 });
  checkInteger(batchSize, { op: OP, arg: 'batchSize', min: 1 });
  checkNumber(learningRate, { op: OP, arg: 'learningRate', min: 0, exclusiveMin: true });
  const size = Math.min(batchSize, data.size);
  const order = stepIndices(data.size, size, foldIn(key, 1));
  const method = {
    name: 'fine-tune',
    models: models.map((model, i) => ({ name: `model${i}`, model })),
    trainableVariables: () => trainableVariables(...models),
    batch: () => ({}) as tf.TensorContainer,
    loss: (batch: B) => loss(batch),
    dispose() {},
  } as unknown as Method;
  const optimizer = tf.train.adam();
  const state: TrainState = { method, optimizer, variables: method.trainableVariables() };
  const schedule = { learningRate, warmupFraction: 0.05, schedule: 'cosine' as const };
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const batch = data.batch(order(step).indices);
      const { loss: value } = await trainStep(state, batch, step, {
        totalSteps: steps,
        learningRate: learningRateAt(schedule, step, steps),
      });
      losses.push(value);
      onStep?.(step, value);
    }
  } finally {
    optimizer.dispose();
  }
  return losses;
}

/**
 * `count` distinct example indices drawn from `key`, class-balanced: classes take turns (in label order),
 * each giving its next example in a keyed order, so 1% of Fashion-MNIST is 60 of each class.
 *
 * @throws ArgumentError unless `count` is an integer in `[1, labels.length]`
 */
export function labelledSubset(labels: Int32Array, count: number, key: Key): number[] {
  checkInteger(count, { op: 'labelledSubset', arg: 'count', min: 1, max: labels.length });
  const classes = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const members = classes.get(label);
    if (members) members.push(i);
    else classes.set(label, [i]);
  });
  const shuffled = [...classes.keys()]
    .sort((a, b) => a - b)
    .map((c) => {
      const members = classes.get(c)!;
      return Array.from(permutationValues(foldIn(key, c), members.length), (i) => members[i]!);
    });
  const chosen: number[] = [];
  for (let round = 0; chosen.length < count; round++)
    for (const members of shuffled) {
      if (chosen.length >= count) break;
      if (round < members.length) chosen.push(members[round]!);
    }
  return chosen.sort((a, b) => a - b);
}
