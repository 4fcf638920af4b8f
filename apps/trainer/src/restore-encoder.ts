import type { Dataset } from '@genoise/data';
import { type Checkpoint, createMethod, type Method, methodSpec, type TrainConfig } from '@genoise/train';
import { loadCheckpoint } from '@genoise/train/node';
import * as tf from '@tensorflow/tfjs-core';
import { type DataSplits, loadData } from './load-data';

/**
 * A representation run's method rebuilt from a loaded checkpoint, its encoder holding the saved weights.
 * The caller disposes it.
 */
export async function restoreMethod(
  checkpoint: Checkpoint<TrainConfig>,
  train: Dataset,
  runDir: string,
): Promise<Method> {
  const method = await createMethod(checkpoint.config, train);
  const saved = checkpoint.groups['model:encoder'];
  if (!saved || saved.length !== method.encoder!.weights.length) {
    method.dispose();
    throw new Error(
      `the checkpoint in '${runDir}' does not hold a matching encoder (${saved?.length ?? 0} weights, expected ${method.encoder!.weights.length})`,
    );
  }
  const tensors = saved.map((a) => tf.tensor(a.values, [...a.shape]));
  method.encoder!.setWeights(tensors);
  tf.dispose(tensors);
  return method;
}

/** A representation run's checkpoint, loaded from `runDir`; throws for a run of another task. */
export async function loadRepresentationCheckpoint(runDir: string): Promise<Checkpoint<TrainConfig>> {
  const checkpoint = await loadCheckpoint<TrainConfig>(runDir);
  const name = checkpoint.config.method.name;
  if (methodSpec(name).task !== 'representation')
    throw new Error(`'${runDir}' is a ${name} run; this command needs a representation run`);
  return checkpoint;
}

/** The data a representation run is probed on: `dataName`, else its method's default data, else Fashion-MNIST. */
export function probeData(config: TrainConfig, dataName: string | undefined): Promise<DataSplits> {
  return loadData(dataName ?? methodSpec(config.method.name).defaultData ?? 'fashion-mnist', {});
}

/**
 * A representation run's method rebuilt from its checkpoint, with the encoder's saved weights, and the
 * data it was probed on ({@link probeData}). The caller disposes `method`.
 */
export async function restoreEncoder(
  runDir: string,
  dataName: string | undefined,
): Promise<{
  method: Method;
  config: TrainConfig;
  step: number;
  data: DataSplits;
  checkpoint: Checkpoint<TrainConfig>;
}> {
  const checkpoint = await loadRepresentationCheckpoint(runDir);
  const data = await probeData(checkpoint.config, dataName);
  const method = await restoreMethod(checkpoint, data.train, runDir);
  return { method, config: checkpoint.config, step: checkpoint.step, data, checkpoint };
}
