import { describeBackend, initBackend } from '@genoise/core';
import { evaluateRepresentations, rawPixels } from '@genoise/eval';
import type { TrainFlags } from '../args';
import { formatRepresentationTable } from '../report';
import { restoreEncoder } from '../restore-encoder';
import { encoderOf } from '../tasks/representation-task';

/** `genoise eval knn|linear|all --checkpoint <run>`: rebuilds the encoder from the checkpoint and probes it. */
export async function evalCommand(
  probe: 'knn' | 'linear' | 'all',
  runDir: string,
  flags: TrainFlags,
): Promise<number> {
  const info = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  console.log(describeBackend(info));
  const { method, config, step, data } = await restoreEncoder(runDir, flags.data);
  try {
    console.log(`${config.method.name} encoder after ${step} steps, on ${data.name}`);
    const evaluation = await evaluateRepresentations(
      [encoderOf(`pretrained (${config.method.name}, ${step} steps)`, method), rawPixels],
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
