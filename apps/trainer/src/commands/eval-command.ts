import { describeBackend, initBackend } from '@genoise/core';
import { evaluateRepresentations, rawPixels } from '@genoise/eval';
import { createMethod, methodSpec, type TrainConfig } from '@genoise/train';
import { loadCheckpoint } from '@genoise/train/node';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainFlags } from '../args';
import { loadData } from '../load-data';
import { formatRepresentationTable } from '../report';

/** `genoise eval knn|linear|all --checkpoint <run>`: rebuilds the encoder from the checkpoint and probes it. */
export async function evalCommand(
  probe: 'knn' | 'linear' | 'all',
  runDir: string,
  flags: TrainFlags,
): Promise<number> {
  const checkpoint = await loadCheckpoint<TrainConfig>(runDir);
  const config = checkpoint.config;
  if (methodSpec(config.method.name).task !== 'representation')
    throw new Error(`genoise eval probes representations; '${runDir}' is a ${config.method.name} run`);
  const info = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  console.log(describeBackend(info));
  const data = await loadData(flags.data ?? 'fashion-mnist', {});
  const method = await createMethod(config, data.train);
  try {
    const saved = checkpoint.groups['model:encoder'];
    if (!saved || saved.length !== method.encoder!.weights.length) {
      throw new Error(
        `the checkpoint in '${runDir}' does not hold a matching encoder (${saved?.length ?? 0} weights, expected ${method.encoder!.weights.length})`,
      );
    }
    const tensors = saved.map((a) => tf.tensor(a.values, [...a.shape]));
    method.encoder!.setWeights(tensors);
    tf.dispose(tensors);
    console.log(`${config.method.name} encoder after ${checkpoint.step} steps, on ${data.name}`);
    const evaluation = await evaluateRepresentations(
      [
        {
          name: `pretrained (${config.method.name}, ${checkpoint.step} steps)`,
          encode: (x) => method.encoder!.predict(x) as tf.Tensor2D,
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
    console.log(formatRepresentationTable(evaluation.rows));
    return 0;
  } finally {
    method.dispose();
  }
}
