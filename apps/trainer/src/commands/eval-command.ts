import { initBackend } from '@genoise/core';
import { createMethod, loadCheckpoint, runKeys, type TrainConfig } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import type { CommonFlags } from '../args';
import { evaluateRepresentations, rawPixels } from '../evaluate';
import { loadData } from '../load-data';
import { formatTable } from '../report';

/** `genoise eval knn|linear|all --checkpoint <run>`: rebuilds the encoder from the checkpoint and probes it. */
export async function evalCommand(
  probe: 'knn' | 'linear' | 'all',
  runDir: string,
  flags: CommonFlags,
): Promise<number> {
  const info = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  console.log(`backend: ${info.name} — ${info.reason}`);
  const checkpoint = await loadCheckpoint<TrainConfig>(runDir);
  const config = checkpoint.config;
  const data = await loadData(flags.data, {});
  const method = await createMethod({
    config,
    imageShape: data.train.imageShape,
    key: runKeys(config).initKey,
  });
  const saved = checkpoint.groups['model:encoder'];
  if (!saved || saved.length !== method.encoder.weights.length) {
    throw new Error(
      `the checkpoint in '${runDir}' does not hold a matching encoder (${saved?.length ?? 0} weights, expected ${method.encoder.weights.length})`,
    );
  }
  const tensors = saved.map((a) => tf.tensor(a.values, [...a.shape]));
  method.encoder.setWeights(tensors);
  tf.dispose(tensors);
  console.log(`${config.method} encoder after ${checkpoint.step} steps, on ${data.name}`);
  const evaluation = await evaluateRepresentations(
    [
      {
        name: `pretrained (${config.method}, ${checkpoint.step} steps)`,
        encode: (x) => method.encoder.predict(x) as tf.Tensor2D,
      },
      rawPixels,
    ],
    {
      train: data.train,
      test: data.test,
      probes: probe === 'all' ? ['knn', 'linear'] : [probe],
      trainLimit: flags.evalTrainLimit,
      seed: config.seed,
    },
  );
  method.dispose();
  console.log(formatTable(evaluation.rows));
  return 0;
}
