import { createMethod, type Method, methodSpec, type TrainConfig } from '@genoise/train';
import { loadCheckpoint } from '@genoise/train/node';
import * as tf from '@tensorflow/tfjs-core';
import { type DataSplits, loadData } from './load-data';

/**
 * A representation run's method rebuilt from its checkpoint, with the encoder's saved weights, and the
 * data it was probed on. The caller disposes `method`.
 */
export async function restoreEncoder(
  runDir: string,
  dataName: string | undefined,
): Promise<{ method: Method; config: TrainConfig; step: number; data: DataSplits }> {
  const checkpoint = await loadCheckpoint<TrainConfig>(runDir);
  const config = checkpoint.config;
  if (methodSpec(config.method.name).task !== 'representation')
    throw new Error(`'${runDir}' is a ${config.method.name} run; this command needs a representation run`);
  const data = await loadData(dataName ?? 'fashion-mnist', {});
  const method = await createMethod(config, data.train);
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
  return { method, config, step: checkpoint.step, data };
}
