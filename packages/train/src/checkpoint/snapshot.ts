import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Method } from '../method/method';
import { exactAdamPowers } from './adam-powers';
import type { Checkpoint, SavedArray } from './checkpoint-types';

/** The part of a method a checkpoint holds: its named models and extra state. */
export type CheckpointedMethod = Pick<Method, 'models' | 'state'>;

async function readArrays(tensors: readonly tf.Tensor[], names: readonly string[]): Promise<SavedArray[]> {
  return Promise.all(
    tensors.map(async (t, i) => ({
      name: names[i] ?? String(i),
      shape: t.shape,
      values: Float32Array.from(await t.data()),
    })),
  );
}

/**
 * Reads every model's weights, the optimizer's state and the method's extra state as checkpoint
 * groups: `model:<name>` per model (weights in the model's order), `optimizer`, `extra`.
 */
export async function snapshot(
  method: CheckpointedMethod,
  optimizer: tf.Optimizer,
): Promise<Record<string, SavedArray[]>> {
  const groups: Record<string, SavedArray[]> = {};
  for (const { name, model } of method.models) {
    const weights = model.weights;
    groups[`model:${name}`] = await readArrays(
      weights.map((w) => w.read()),
      weights.map((w) => w.originalName),
    );
  }
  const named = await optimizer.getWeights();
  groups['optimizer'] = await readArrays(
    named.map((n) => n.tensor),
    named.map((n) => n.name),
  );
  for (const n of named) if (!(n.tensor instanceof tf.Variable)) n.tensor.dispose();
  groups['extra'] = [...((await method.state?.save()) ?? [])];
  return groups;
}

/**
 * Writes a checkpoint's groups back into the models, the optimizer (with Adam's bias-correction powers
 * rebuilt as the float32 running products an uninterrupted run holds) and the extra state.
 *
 * @throws ArgumentError when a model's weight count differs from the checkpoint's (another architecture)
 */
export async function restore(
  method: CheckpointedMethod,
  optimizer: tf.Optimizer,
  checkpoint: Checkpoint,
): Promise<void> {
  for (const { name, model } of method.models) {
    const saved = checkpoint.groups[`model:${name}`];
    if (!saved || saved.length !== model.weights.length) {
      throw new ArgumentError({
        op: 'restore',
        argument: 'checkpoint',
        message: `restore: the checkpoint's '${name}' has ${saved?.length ?? 0} weights but the model has ${model.weights.length}; was it written by another architecture?`,
      });
    }
    const tensors = saved.map((a) => tf.tensor(a.values, [...a.shape]));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  const optimizerState = checkpoint.groups['optimizer'] ?? [];
  if (optimizerState.length > 0) {
    const named = optimizerState.map((a) => ({ name: a.name, tensor: tf.tensor(a.values, [...a.shape]) }));
    await optimizer.setWeights(named); // Adam copies them into its own variables
    tf.dispose(named.map((n) => n.tensor));
    exactAdamPowers(optimizer, checkpoint.step);
  }
  method.state?.restore(checkpoint.groups['extra'] ?? []);
}
