import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeBackend, initBackend } from '@genoise/core';
import {
  checkpointToResume,
  createMethod,
  fit,
  methodSpec,
  resolveTrainConfig,
  type TrainConfig,
  type TrainConfigOverrides,
} from '@genoise/train';
import { folderRunStore, readMetrics } from '@genoise/train/node';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainFlags } from '../args';
import { interruptOnSigint } from '../interrupt';
import { progressReporter } from '../progress';
import { lineChartSvg, reportHtml } from '../report';
import { openRunFolder, runFolder, writeReport } from '../run-folder';
import { TASKS } from '../tasks/tasks';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `b` over `a`, objects merged field by field. */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObject(out[k]) && isObject(v) ? deepMerge(out[k], v) : v;
  return out;
}

/**
 * The run's config, one merge for every method: the method's defaults (with its budget), what the data
 * implies, the `--config` file, then flags.
 */
export async function configFor(
  method: string,
  flags: TrainFlags,
  methodOptions: Record<string, unknown>,
  dataDefaults: Record<string, unknown>,
  backend?: string,
): Promise<TrainConfig> {
  const fromFile = flags.config
    ? (JSON.parse(await readFile(flags.config, 'utf8')) as TrainConfigOverrides)
    : {};
  // The method's budget for this backend, unless a length was asked for.
  const asked = [flags.steps, flags.epochs, fromFile.steps, fromFile.epochs].some((v) => v !== undefined);
  const budget = asked || backend === undefined ? undefined : methodSpec(method).budgets?.[backend];
  const shared = Object.fromEntries(
    Object.entries({
      seed: flags.seed,
      batchSize: flags.batch,
      learningRate: flags.learningRate,
      epochs: flags.epochs,
      steps: flags.steps ?? budget,
    }).filter(([, v]) => v !== undefined),
  );
  const fileMethod = isObject(fromFile.method) ? fromFile.method : {};
  const merged = {
    ...fromFile,
    ...shared,
    method: deepMerge(deepMerge(dataDefaults, fileMethod), { ...methodOptions, name: method }),
  } as TrainConfigOverrides;
  return resolveTrainConfig(merged);
}

/**
 * `genoise train <method>`, one pipeline for every method: backend, the run's config, the run folder
 * (a resume is checked before anything slow), the task's data and baselines, `fit` with progress,
 * Ctrl-C and resume, the task's evaluation, and the report (`table.txt`, `report.json`, `report.html`).
 */
export async function trainCommand(
  method: string,
  flags: TrainFlags,
  methodOptions: Record<string, unknown>,
  { isDefaultJob = false } = {},
): Promise<number> {
  const log = (line: string): void => console.log(line);
  const spec = methodSpec(method);
  const task = TASKS[spec.task]();
  const dataName = flags.data ?? spec.defaultData ?? task.defaultData;
  const runDir = runFolder(flags.out, method, dataName);
  const store = folderRunStore(runDir);

  // A resume needs a checkpoint: say so before loading data or measuring baselines.
  if (flags.resume && (await store.load()) === undefined)
    throw new Error(
      `--resume: '${runDir}' has no checkpoint to resume from (train without --resume to start it)`,
    );

  const info = await initBackend({
    ...(flags.backend ? { prefer: flags.backend } : {}),
    verbose: flags.verbose,
  });
  log(describeBackend(info));
  if (flags.verbose) log(`  ${info.reason}`);

  let config = await configFor(
    method,
    flags,
    methodOptions,
    await task.dataDefaults(flags, spec, log),
    info.name,
  );
  if (flags.resume) config = (await checkpointToResume(store, config, 'genoise train')).config;
  await openRunFolder(runDir, config, flags.resume);
  log(
    `run folder: ${runDir}${isDefaultJob ? ` (the default job: genoise train ${method} on ${dataName})` : ''}`,
  );

  const run = await task.open(config, flags, { isDefaultJob, log });
  try {
    if (flags.eval) await run.baselines();
    const trained = await createMethod(config, run.data);
    const interrupt = interruptOnSigint();
    const progress = flags.quiet ? undefined : progressReporter();
    const note = (line: string): void => (progress ? progress.note(line) : log(line));
    let result: Awaited<ReturnType<typeof fit>>;
    try {
      result = await fit(trained, run.data, {
        config,
        store,
        resume: flags.resume,
        signal: interrupt.signal,
        onStep: async (event, running) => {
          progress?.update(event);
          await run.onStep?.(event, running, note);
        },
      });
    } catch (error) {
      trained.dispose();
      throw error;
    } finally {
      progress?.done();
      interrupt.release();
    }
    log(
      `trained ${result.losses.length} steps (${result.step}/${result.totalSteps}) in ${result.seconds.toFixed(0)} s; checkpoint in ${join(runDir, 'checkpoint')}`,
    );
    if (result.stopped === 'aborted' || !flags.eval) {
      if (result.stopped === 'aborted')
        log(`interrupted: continue with  genoise train ${method} --out ${runDir} --resume`);
      trained.dispose();
      return result.stopped === 'aborted' ? 130 : 0;
    }
    const report = await run.evaluate(result);
    trained.dispose();
    log('');
    log(report.table);
    const metrics = await readMetrics<{ step: number; loss: number }>(runDir);
    await writeReport(runDir, {
      table: report.table,
      json: {
        method,
        data: run.dataName,
        backend: info.name,
        backendDetails: info.reason,
        ...(info.tensorflow ? { tensorflow: info.tensorflow } : {}),
        steps: result.step,
        seconds: result.seconds,
        ...report.json,
        config,
      },
      html: reportHtml({
        title: `genoise: ${method} on ${run.dataName}`,
        summary: [
          `${spec.summary}. ${spec.paper}.`,
          `${result.step} steps of batch ${config.batchSize} (seed ${config.seed}), backend ${info.name}, ${result.seconds.toFixed(0)} s of training in the last call.`,
          ...report.summary,
        ],
        sections: [
          {
            heading: 'Training loss',
            html: lineChartSvg(
              metrics.map((m) => [m.step, m.loss] as const),
              { title: `${method} loss` },
            ),
          },
          ...report.sections,
        ],
      }),
    });
    log(`\nreport: ${join(runDir, 'report.html')}`);
    if (flags.verbose) log(`tensors alive: ${tf.memory().numTensors}`);
    return 0;
  } finally {
    run.dispose();
  }
}
