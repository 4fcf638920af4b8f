import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendInfo, initBackend } from '@genoise/core';
import {
  createMethod,
  type MethodName,
  readMetrics,
  resolveTrainConfig,
  runKeys,
  type TrainConfig,
  type TrainConfigOverrides,
  train,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainFlags } from '../args';
import { evaluateRepresentations, knnTop1, rawPixels } from '../evaluate';
import { interruptOnSigint } from '../interrupt';
import { loadData } from '../load-data';
import { progressReporter } from '../progress';
import { formatTable, lineChartSvg, reportHtml, scatterSvg } from '../report';

/**
 * Steps of the default job per method: sized so that `pnpm start` (load, train, evaluate three
 * representations) ends within 15 minutes on two CPU cores with the wasm backend.
 */
export const DEFAULT_STEPS: Record<MethodName, number> = { simclr: 1200, moco: 1000, byol: 800 };

/** The default job's kNN monitor interval (`--knn-every`): four to five points on the learning curve. */
export const DEFAULT_JOB_KNN_EVERY = 400;

/** Train images used as the kNN bank and linear-probe set by default (the full split with --eval-train-limit 60000). */
export const DEFAULT_EVAL_TRAIN_LIMIT = 10_000;

/** Writes `text` to `path` atomically (temp file, then rename). */
async function writeAtomic(path: string, text: string): Promise<void> {
  const { rename } = await import('node:fs/promises');
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

/** Runs `genoise train <method>`: backend, data, pretraining, evaluation, report. Returns the exit code. */
export async function trainCommand(
  method: MethodName,
  flags: TrainFlags,
  { isDefaultJob = false } = {},
): Promise<number> {
  const log = (line: string): void => console.log(line);
  const info: BackendInfo = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  log(`backend: ${info.name}${info.simd ? ' (SIMD)' : ''} — ${info.reason}`);

  const data = await loadData(flags.data, { limit: flags.limit, size: flags.size, channels: flags.channels });
  for (const note of data.notes) log(note);

  const fromFile = flags.config
    ? (JSON.parse(await readFile(flags.config, 'utf8')) as TrainConfigOverrides)
    : {};
  const budget =
    flags.epochs !== undefined ||
    flags.steps !== undefined ||
    fromFile.epochs !== undefined ||
    fromFile.steps !== undefined;
  // Digits are not mirror-invariant (a flipped 2 is not a 2): no flipped views on MNIST unless asked.
  const views =
    data.name === 'mnist' && fromFile.views?.flip === undefined
      ? { views: { ...fromFile.views, flip: false } }
      : {};
  const config: TrainConfig = resolveTrainConfig({
    ...fromFile,
    ...views,
    method,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.batch !== undefined ? { batchSize: flags.batch } : {}),
    ...(flags.learningRate !== undefined ? { learningRate: flags.learningRate } : {}),
    ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
    ...(flags.steps !== undefined ? { steps: flags.steps } : {}),
    ...(budget ? {} : { steps: DEFAULT_STEPS[method] }),
  });
  const runDir = resolve(
    flags.out ?? join('runs', `${method}-${flags.data.replace(/[^a-z0-9-]+/gi, '_')}-${stamp()}`),
  );
  await mkdir(runDir, { recursive: true });
  if (!flags.resume) await writeAtomic(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  log(
    `run folder: ${runDir}${isDefaultJob ? ' (the default job: genoise train simclr on Fashion-MNIST)' : ''}`,
  );

  // Baselines first, while the wasm heap is fresh (the same evaluation after a long run was measured
  // up to 3x slower in the same process): the same encoder at its random initialisation, raw pixels.
  const evalOptions = {
    train: data.train,
    test: data.test,
    probes: ['knn', 'linear'] as ('knn' | 'linear')[],
    trainLimit: flags.evalTrainLimit ?? DEFAULT_EVAL_TRAIN_LIMIT,
    seed: config.seed,
    log,
  };
  let baselines: Awaited<ReturnType<typeof evaluateRepresentations>> | undefined;
  if (flags.eval) {
    log(
      'baselines: kNN (k 200, cosine, T 0.1) and a linear probe on standardised features, on the test split',
    );
    const initial = await createMethod({
      config,
      imageShape: data.train.imageShape,
      key: runKeys(config).initKey,
    });
    baselines = await evaluateRepresentations(
      [
        { name: 'same encoder, random init', encode: (x) => initial.encoder.predict(x) as tf.Tensor2D },
        rawPixels,
      ],
      evalOptions,
    );
    initial.dispose();
  }

  const interrupt = interruptOnSigint();
  const progress = flags.quiet ? undefined : progressReporter();
  const knnEvery = flags.eval ? (flags.knnEvery ?? (isDefaultJob ? DEFAULT_JOB_KNN_EVERY : 0)) : 0;
  const knnCurve: { step: number; knnTop1: number }[] = [];
  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train({
      config,
      dataset: data.train,
      runDir,
      resume: flags.resume,
      signal: interrupt.signal,
      onStep: async (event, running) => {
        progress?.update(event);
        if (knnEvery > 0 && event.step % knnEvery === 0 && event.step < event.totalSteps) {
          const top1 = await knnTop1(
            { name: 'monitor', encode: (x) => running.encoder.predict(x) as tf.Tensor2D },
            evalOptions,
          );
          knnCurve.push({ step: event.step, knnTop1: top1 });
          progress?.note(`step ${event.step}: kNN top-1 ${(100 * top1).toFixed(1)}%`);
          if (flags.quiet) log(`step ${event.step}: kNN top-1 ${(100 * top1).toFixed(1)}%`);
        }
      },
    });
  } finally {
    progress?.done();
    interrupt.release();
  }
  const { method: trained } = result;
  log(
    `trained ${result.losses.length} steps (${result.step}/${result.totalSteps}) in ${result.seconds.toFixed(0)} s; checkpoint in ${join(runDir, 'checkpoint')}`,
  );
  if (result.stopped === 'aborted') {
    log(`interrupted: continue with  genoise train ${method} --out ${runDir} --resume`);
    trained.dispose();
    return 130;
  }
  if (!flags.eval) {
    trained.dispose();
    return 0;
  }

  log('evaluating the pretrained encoder');
  const pretrained = await evaluateRepresentations(
    [
      {
        name: `pretrained (${method}, ${result.step} steps)`,
        encode: (x) => trained.encoder.predict(x) as tf.Tensor2D,
      },
    ],
    evalOptions,
  );
  trained.dispose();
  const evaluation = {
    rows: [...pretrained.rows, ...(baselines?.rows ?? [])],
    embeddings: [...pretrained.embeddings, ...(baselines?.embeddings ?? [])],
  };

  const table = formatTable(evaluation.rows);
  log('');
  log(table);
  const metrics = await readMetrics<{ step: number; loss: number }>(runDir);
  const summary = [
    `${method} on ${data.name}, ${result.step} steps of batch ${config.batchSize} (seed ${config.seed}), backend ${info.name}.`,
    ...data.notes,
    `Probes on the test split; kNN bank and linear-probe training set: the first ${Math.min(evalOptions.trainLimit, data.train.size)} train images (--eval-train-limit).`,
  ];
  const classNames =
    data.train.classNames ?? Array.from({ length: data.train.numClasses ?? 0 }, (_, i) => String(i));
  const html = reportHtml({
    title: `genoise: ${method} on ${data.name}`,
    summary,
    rows: evaluation.rows,
    lossSvg: lineChartSvg(
      metrics.map((m) => [m.step, m.loss] as const),
      { title: `${method} loss` },
    ),
    knnSvg:
      knnCurve.length > 0
        ? lineChartSvg(
            [
              ...knnCurve.map((k) => [k.step, k.knnTop1] as const),
              ...(pretrained.rows[0]?.knnTop1 !== undefined
                ? [[result.step, pretrained.rows[0].knnTop1] as const]
                : []),
            ],
            { title: 'kNN top-1 (test split) by step' },
          )
        : undefined,
    embeddingSvgs: evaluation.embeddings.map((e) =>
      scatterSvg(e.points, e.labels, classNames, { title: e.name }),
    ),
  });
  await writeAtomic(join(runDir, 'report.html'), html);
  await writeAtomic(join(runDir, 'table.txt'), `${table}\n`);
  await writeAtomic(
    join(runDir, 'report.json'),
    `${JSON.stringify({ method, data: data.name, backend: info.name, steps: result.step, seconds: result.seconds, rows: evaluation.rows, knnCurve, config }, null, 2)}\n`,
  );
  log(`\nreport: ${join(runDir, 'report.html')}`);
  log(`tensors alive: ${tf.memory().numTensors}`);
  return 0;
}
