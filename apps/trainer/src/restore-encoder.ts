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

/**
 * A representation run's method rebuilt from its checkpoint, with the encoder's saved weights, and the
 * data it was probed on (`dataName`, else the method's default data, else Fashion-MNIST). The caller
 * disposes `method`.
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
  const checkpoint = await loadCheckpoint<TrainConfig>(runDir);
  const config = checkpoint.config;
  const spec = methodSpec(config.method.name);
  if (spec.task !== 'representation')
    throw new Error(`'${runDir}' is a ${config.method.name} run; this command needs a representation run`);
  const data = await loadData(dataName ?? spec.defaultData ?? 'fashion-mnist', {});
  const method = await restoreMethod(checkpoint, data.train, runDir);
  return { method, config, step: checkpoint.step, data, checkpoint };
}
