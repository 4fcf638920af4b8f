/**
 * The default jobs' training steps, per backend, in one run, with the ratio against PyTorch:
 *
 * - **SimCLR** (the default job: batch 256 of 28x28x1 as 2 x 256 views, smallConvNet 16-32-64
 *   'strideOnly', projection 64-256-64, NT-Xent T 0.2, Adam) through `@genoise/train`'s public
 *   `createMethod` + `trainStep` (the step `fit` runs), on fixed views (no augmentation in the
 *   timing), on `tensorflow` (tfjs-node), `wasm` and `cpu` (cpu at a small batch, scaled to 256 per
 *   image); and the same step in PyTorch (`tooling/bench/torch/simclr_step.py`, a child process on
 *   the same two cores) when `python3` with torch is present.
 * - **Monodepth2** (the default depth config: batch 4, 64x192 frame triplets, 4 scales, minimum
 *   reprojection with auto-masking) through the same `createMethod` + `trainStep`, on tensorflow and
 *   wasm.
 *
 * Each backend runs in its own child process, so its peak RSS is its own; peak tensor bytes come from
 * `tf.profile` around one warm-up step (tfjs), which also gives per-kernel times: the table of the
 * slowest kernels on tensorflow says what limits its step. Writes `bench-results/default-step.json`.
 *
 * Env: GENOISE_BENCH_PYTHON (default: `python3`, then `/usr/bin/python3`), GENOISE_BENCH_TORCH_THREADS
 * (default 2), GENOISE_BENCH_SKIP_CPU=1, GENOISE_BENCH_STEPS (tensorflow/PyTorch timed SimCLR steps,
 * default 10).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKey, initBackend } from '@genoise/core';
import {
  createMethod,
  defaultTrainConfig,
  resolveTrainConfig,
  syntheticDepthData,
  trainStep,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { median, type Row, report } from './report';

type Job = 'simclr' | 'monodepth2';
type Backend = 'tensorflow' | 'wasm' | 'cpu';

interface KernelTime {
  readonly name: string;
  readonly ms: number;
  readonly calls: number;
}

interface Result {
  readonly job: Job;
  readonly backend: string;
  readonly batch: number;
  readonly warmupSteps: number;
  readonly timedSteps: number;
  readonly msPerStep: number;
  readonly stepsMs: readonly number[];
  readonly losses: readonly number[];
  readonly peakTensorBytes: number | null;
  readonly peakRssBytes: number;
  readonly kernels?: readonly KernelTime[];
  readonly profiledStepMs?: number;
  readonly detail?: string;
  readonly skipped?: string;
  readonly threads?: number;
}

const SIMCLR_BATCH = 256;
const CPU_BATCH = 32;

/** Deterministic pseudo-images in [0, 1] (the step's cost does not depend on the values). */
function fixedImages(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() =>
    tf.clipByValue(tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), 0.25), 0.5), 0, 1),
  );
}

/** A copy of every tensor in a container (trainStep disposes the batch it is given). */
function cloneContainer(batch: tf.NamedTensorMap): tf.NamedTensorMap {
  return Object.fromEntries(Object.entries(batch).map(([name, t]) => [name, tf.clone(t)]));
}

function aggregateKernels(profile: Awaited<ReturnType<typeof tf.profile>>): KernelTime[] {
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls += 1;
    byName.set(k.name, entry);
  }
  return [...byName.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms);
}

async function setUp(job: Job, batchSize: number) {
  if (job === 'simclr') {
    // The default SimCLR job, only the batch size overridden for the cpu backend.
    const config = resolveTrainConfig({ method: { name: 'simclr' }, batchSize });
    const data = { name: 'bench', size: 60_000, imageShape: [28, 28, 1] as [number, number, number] };
    const method = await createMethod(config, data as never);
    const batch = {
      view1: fixedImages([batchSize, 28, 28, 1], 1),
      view2: fixedImages([batchSize, 28, 28, 1], 2),
    };
    const detail = JSON.stringify(config.method);
    return { config, method, batch, detail };
  }
  const config = defaultTrainConfig('monodepth2');
  const data = syntheticDepthData(config);
  const method = await createMethod(config, data);
  const indices = Array.from({ length: config.batchSize }, (_, i) => i);
  const batch = method.batch(data, indices, createKey(0), 0) as tf.NamedTensorMap;
  return { config, method, batch, detail: JSON.stringify(config.method) };
}

async function runChild(
  job: Job,
  backend: Backend,
  warmupSteps: number,
  timedSteps: number,
  batchSize: number,
): Promise<Result> {
  try {
    await initBackend({ prefer: backend });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const skipped = /not installed|Cannot find/i.test(text)
      ? 'not installed'
      : `failed to start: ${text.split('\n')[0]}`;
    return {
      job,
      backend,
      batch: batchSize,
      warmupSteps: 0,
      timedSteps: 0,
      msPerStep: Number.NaN,
      stepsMs: [],
      losses: [],
      peakTensorBytes: null,
      peakRssBytes: 0,
      skipped,
    };
  }
  const { config, method, batch, detail } = await setUp(job, batchSize);
  const state = {
    method,
    optimizer: tf.train.adam(config.learningRate),
    variables: method.trainableVariables(),
  };
  const totalSteps = config.steps ?? 1000;
  const stepsMs: number[] = [];
  const losses: number[] = [];
  let step = 0;
  const one = async (): Promise<void> => {
    const started = performance.now();
    const { loss } = await trainStep(state, cloneContainer(batch), step, {
      totalSteps,
      learningRate: config.learningRate,
    });
    stepsMs.push(performance.now() - started);
    losses.push(loss);
    step++;
  };
  // Warm-up: the first step compiles/allocates; the last warm-up step runs under tf.profile for the peak
  // tensor bytes and the per-kernel times (profiling slows it: its time is reported, not counted).
  for (let i = 0; i < warmupSteps - 1; i++) await one();
  let peakTensorBytes: number | null = null;
  let kernels: KernelTime[] | undefined;
  let profiledStepMs: number | undefined;
  if (warmupSteps > 0) {
    const profile = await tf.profile(async () => {
      await one();
    });
    peakTensorBytes = profile.peakBytes;
    kernels = aggregateKernels(profile);
    profiledStepMs = stepsMs[stepsMs.length - 1];
  }
  for (let i = 0; i < timedSteps; i++) await one();
  if (peakTensorBytes === null) peakTensorBytes = tf.memory().numBytes;
  tf.dispose(Object.values(batch));
  state.optimizer.dispose();
  method.dispose();
  const timed = stepsMs.slice(warmupSteps);
  return {
    job,
    backend: tf.getBackend(),
    batch: batchSize,
    warmupSteps,
    timedSteps,
    msPerStep: median(timed),
    stepsMs: timed,
    losses,
    peakTensorBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(kernels === undefined ? {} : { kernels: kernels.slice(0, 25) }),
    ...(profiledStepMs === undefined ? {} : { profiledStepMs }),
    detail,
  };
}

function nodeChild(
  job: Job,
  backend: Backend,
  warmup: number,
  timed: number,
  batch: number,
  threads?: number,
): Result {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [self, '--child', job, backend, String(warmup), String(timed), String(batch)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 26,
      env: {
        ...process.env,
        TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2',
        ...(threads === undefined
          ? {}
          : { TF_NUM_INTRAOP_THREADS: String(threads), TF_NUM_INTEROP_THREADS: String(threads) }),
      },
    },
  );
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) {
    const why = (run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ');
    return {
      job,
      backend,
      batch,
      warmupSteps: 0,
      timedSteps: 0,
      msPerStep: Number.NaN,
      stepsMs: [],
      losses: [],
      peakTensorBytes: null,
      peakRssBytes: 0,
      skipped: `failed: ${why}`,
    };
  }
  const result = JSON.parse(line.slice('RESULT '.length)) as Result;
  return { ...result, threads: threads ?? (backend === 'tensorflow' ? availableParallelism() : 1) };
}

/** The python with torch: GENOISE_BENCH_PYTHON, else the first of `python3`, `/usr/bin/python3` that imports torch. */
function findTorchPython(): { python?: string; why: string } {
  const candidates = process.env.GENOISE_BENCH_PYTHON
    ? [process.env.GENOISE_BENCH_PYTHON]
    : ['python3', '/usr/bin/python3'];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, why: `${python}, torch ${probe.stdout.trim()}` };
  }
  return {
    why: `no python3 with torch (tried ${candidates.join(', ')}; e.g. apt-get install python3-torch)`,
  };
}

function torchChild(python: string, warmup: number, timed: number, threads: string): Result {
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'torch', 'simclr_step.py');
  try {
    const out = execFileSync(
      python,
      [script, '--threads', threads, '--warmup', String(warmup), '--steps', String(timed), '--profile'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 24,
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    if (line === undefined) throw new Error(out);
    const r = JSON.parse(line.slice('RESULT '.length)) as Omit<Result, 'job'> & {
      threads: number;
      torch: string;
    };
    return {
      ...r,
      job: 'simclr',
      peakTensorBytes: null,
      detail: `torch ${r.torch}, ${r.threads} threads`,
      threads: r.threads,
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      job: 'simclr',
      backend: 'pytorch',
      batch: SIMCLR_BATCH,
      warmupSteps: 0,
      timedSteps: 0,
      msPerStep: Number.NaN,
      stepsMs: [],
      losses: [],
      peakTensorBytes: null,
      peakRssBytes: 0,
      skipped: `failed: ${text.split('\n').slice(-3).join(' | ')}`,
    };
  }
}

const MB = 2 ** 20;

async function main(): Promise<void> {
  const [flag, job, backend, warmup, timed, batch] = process.argv.slice(2);
  if (flag === '--child') {
    const result = await runChild(
      job as Job,
      backend as Backend,
      Number(warmup),
      Number(timed),
      Number(batch),
    );
    console.log(`RESULT ${JSON.stringify(result)}`);
    return;
  }
  const steps = Number(process.env.GENOISE_BENCH_STEPS ?? 10);
  const skipCpu = process.env.GENOISE_BENCH_SKIP_CPU === '1';
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const results: Result[] = [];
  const torch = findTorchPython();
  // tensorflow and PyTorch back to back, so both see the same machine load.
  const torchThreads = process.env.GENOISE_BENCH_TORCH_THREADS ?? String(availableParallelism());
  results.push(nodeChild('simclr', 'tensorflow', 3, steps, SIMCLR_BATCH));
  if (torch.python !== undefined) results.push(torchChild(torch.python, 3, 2 * steps, torchThreads));
  // Both on one thread too: less sensitive to other processes on a busy machine than two thread pools.
  results.push(nodeChild('simclr', 'tensorflow', 3, steps, SIMCLR_BATCH, 1));
  if (torch.python !== undefined) results.push(torchChild(torch.python, 3, steps, '1'));
  results.push(nodeChild('simclr', 'wasm', 2, 5, SIMCLR_BATCH));
  if (!skipCpu) results.push(nodeChild('simclr', 'cpu', 1, 1, CPU_BATCH));
  results.push(nodeChild('monodepth2', 'tensorflow', 2, 3, 4));
  results.push(nodeChild('monodepth2', 'wasm', 1, 2, 4));

  // Each tfjs SimCLR row is compared with PyTorch on as many threads (wasm and cpu: with one thread).
  const torchFor = (r: Result): Result | undefined =>
    results.find(
      (t) => t.backend === 'pytorch' && t.skipped === undefined && t.threads === (r.threads ?? 1),
    ) ?? results.find((t) => t.backend === 'pytorch' && t.skipped === undefined);
  // Per-image scaling of the small-batch cpu step to the default batch.
  const scale = (r: Result, ms: number): number => (r.job === 'simclr' ? (ms * SIMCLR_BATCH) / r.batch : ms);
  const best = (r: Result): number => Math.min(...r.stepsMs);
  const rows: Row[] = results.map((r) => {
    const ok = r.skipped === undefined;
    const torchResult = torchFor(r);
    const vsTorch = ok && r.job === 'simclr' && torchResult !== undefined;
    return {
      job: r.job,
      backend: r.backend,
      batch: r.batch,
      threads: r.threads ?? null,
      'ms/step': ok ? scale(r, r.msPerStep) : null,
      'x pytorch': vsTorch ? scale(r, r.msPerStep) / torchResult.msPerStep : null,
      'best ms': ok ? scale(r, best(r)) : null,
      'x pytorch (best)': vsTorch ? scale(r, best(r)) / best(torchResult) : null,
      'timed steps': r.timedSteps,
      'peak tensor MB': r.peakTensorBytes === null ? null : r.peakTensorBytes / MB,
      'peak RSS MB': r.skipped === undefined ? r.peakRssBytes / MB : null,
      note:
        r.skipped ??
        (r.job === 'simclr' && r.batch !== SIMCLR_BATCH
          ? `measured at batch ${r.batch}, scaled x${SIMCLR_BATCH / r.batch}`
          : ''),
    };
  });
  for (const r of results) if (r.skipped !== undefined) console.log(`${r.job} on ${r.backend}: ${r.skipped}`);
  if (torch.python === undefined) console.log(`pytorch: ${torch.why}`);

  const notes = [
    `SimCLR: the default job's step (createMethod + trainStep of @genoise/train): ${SIMCLR_BATCH} images of 28x28x1 as two fixed views, ${results.find((r) => r.job === 'simclr' && r.detail)?.detail ?? ''}; forward, backward and Adam, no augmentation; median of the timed steps after warm-up`,
    `PyTorch: ${torch.why}; tooling/bench/torch/simclr_step.py mirrors the same step (layers, TF 'same' padding, BN, head, NT-Xent, Adam), ${torchThreads} threads and 1 thread; peak memory is the process RSS`,
    "tensorflow uses TensorFlow's own thread pools (all cores; the 1-thread row sets TF_NUM_INTRAOP_THREADS/TF_NUM_INTEROP_THREADS=1); wasm runs on one thread in Node; 'x pytorch' compares with PyTorch on the same number of threads",
    `cpu: ${CPU_BATCH} images per view, scaled per image to ${SIMCLR_BATCH}`,
    'peak tensor MB: tf.profile peakBytes of one warm-up step; peak RSS: the child process maxRSS',
    `per-step ms: ${results
      .filter((r) => r.skipped === undefined)
      .map((r) => `${r.job}/${r.backend} [${r.stepsMs.map((m) => m.toFixed(0)).join(', ')}]`)
      .join('; ')}`,
  ];
  const tfSimclr = results.find(
    (r) => r.job === 'simclr' && r.backend === 'tensorflow' && r.skipped === undefined,
  );
  const profiled =
    tfSimclr ?? results.find((r) => r.job === 'simclr' && r.backend === 'wasm' && r.skipped === undefined);
  if (profiled?.kernels !== undefined) {
    const total = profiled.kernels.reduce((a, k) => a + k.ms, 0);
    console.log(
      `\nslowest kernels of one SimCLR step on ${profiled.backend} (tf.profile; the profiled step took ${profiled.profiledStepMs?.toFixed(0)} ms)`,
    );
    for (const k of profiled.kernels.slice(0, 12)) {
      console.log(
        `  ${k.name.padEnd(28)} ${k.ms.toFixed(1).padStart(8)} ms  ${String(k.calls).padStart(4)} calls  ${((100 * k.ms) / Math.max(total, 1e-9)).toFixed(1).padStart(5)}%`,
      );
    }
  }
  const torchProfiled = results.find((r) => r.backend === 'pytorch') as
    | (Result & { profile?: { name: string; ms: number; calls: number }[] })
    | undefined;
  if (torchProfiled?.profile !== undefined) {
    console.log('\nslowest ops of one SimCLR step in PyTorch (torch.profiler, self CPU time)');
    for (const k of torchProfiled.profile.slice(0, 8))
      console.log(
        `  ${k.name.padEnd(40)} ${k.ms.toFixed(1).padStart(8)} ms  ${String(k.calls).padStart(4)} calls`,
      );
  }
  const loadAfter = loadavg()[0]!;
  const cores = availableParallelism();
  notes.push(
    `machine load (1-min average) ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${cores} cores; 'best ms' is the fastest timed step, less sensitive to other processes than the median`,
  );
  if (Math.max(loadBefore, loadAfter) > cores)
    console.log(
      `\nwarning: the machine was busy (load ${Math.max(loadBefore, loadAfter).toFixed(1)} on ${cores} cores): the step times and ratios are not representative; prefer 'best ms' or rerun on a quiet machine`,
    );
  notes.push(`bench wall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  report('default-step', rows, notes, { results });
  if (!existsSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'torch', 'simclr_step.py')))
    console.log('note: tooling/bench/torch/simclr_step.py is missing');
}

await main();
