import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKey, describeBackend, foldIn, initBackend } from '@genoise/core';
import { syntheticNormalsSet } from '@genoise/data';
import {
  type Checkpoint,
  createMethod,
  fineTuneClassifier,
  fineTuneNormals,
  labelledSubset,
  type Method,
  type TrainConfig,
} from '@genoise/train';
import type { TrainFlags, TransferFlags } from '../args';
import { formatTable } from '../report';
import { loadRepresentationCheckpoint, probeData, restoreMethod } from '../restore-encoder';

/** Seeds of the rendered normal views (fixed, so every transfer run sees the same scenes). */
export const NORMALS_SEEDS = { train: 4_242, test: 9_191 } as const;
/** Side of the rendered normal views. */
export const NORMALS_SIZE = 48;

/** Mean and sample standard deviation. */
export function meanAndSpread(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance =
    values.length > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

const cell = (values: readonly number[], scale = 1, digits = 1): string => {
  const { mean, std } = meanAndSpread(values.map((v) => v * scale));
  return values.length > 1 ? `${mean.toFixed(digits)} ± ${std.toFixed(digits)}` : mean.toFixed(digits);
};

/** One encoder to fine-tune: a fresh copy per seed. */
interface Candidate {
  readonly name: string;
  /** A fresh method whose encoder holds the weights to start from (the caller disposes it). */
  fresh(seed: number): Promise<Method>;
}

/** `genoise transfer classify|normals --checkpoint <runs>`: the transfer experiments of issue 10. */
export async function transferCommand(
  task: 'classify' | 'normals',
  checkpoints: readonly string[],
  flags: TrainFlags,
  transfer: TransferFlags,
): Promise<number> {
  const log = (line: string): void => console.log(line);
  const info = await initBackend({ ...(flags.backend ? { prefer: flags.backend } : {}) });
  log(describeBackend(info));
  // Each checkpoint is read once; the first run's data is the data of all.
  const runs: { dir: string; checkpoint: Checkpoint<TrainConfig> }[] = [];
  for (const dir of checkpoints) runs.push({ dir, checkpoint: await loadRepresentationCheckpoint(dir) });
  const first = runs[0]!.checkpoint.config;
  const data = await probeData(first, flags.data);
  // Every run's encoder must match its checkpoint: checked before the first fine-tuning starts.
  for (const { dir, checkpoint } of runs) (await restoreMethod(checkpoint, data.train, dir)).dispose();
  const candidates: Candidate[] = [
    {
      // The first run's architecture at its random initialisation for each seed.
      name: 'from scratch (random init)',
      fresh: (seed) => createMethod({ ...first, seed }, data.train),
    },
    ...runs.map(({ dir, checkpoint }) => ({
      name: `${checkpoint.config.method.name} (${checkpoint.step} steps)`,
      fresh: () => restoreMethod(checkpoint, data.train, dir),
    })),
  ];
  const rows: string[][] = [];
  const json: Record<string, unknown>[] = [];
  if (task === 'classify') {
    const shares = transfer.labels;
    log(
      `fine-tuning on ${data.name}: ${shares.map((s) => `${100 * s}%`).join(' and ')} of the ${data.train.size} train labels, seeds ${transfer.seeds.join(',')}, ${transfer.steps} steps of ${transfer.batch}`,
    );
    for (const candidate of candidates) {
      const row = [candidate.name];
      const results: Record<string, number[]> = {};
      for (const share of shares) {
        const accuracies: number[] = [];
        for (const seed of transfer.seeds) {
          const key = createKey(seed);
          const labelled = labelledSubset(
            data.train.labels!,
            Math.max(1, Math.round(share * data.train.size)),
            foldIn(key, 7),
          );
          const method = await candidate.fresh(seed);
          try {
            const result = await fineTuneClassifier({
              encoder: method.encoder!,
              encoderInput: method.encoderInput?.bind(method),
              train: data.train,
              test: data.test,
              labelled,
              steps: transfer.steps,
              batchSize: transfer.batch,
              learningRate: transfer.learningRate,
              key,
            });
            accuracies.push(result.testAccuracy);
            log(
              `  ${candidate.name}, ${100 * share}% labels, seed ${seed}: ${(100 * result.testAccuracy).toFixed(1)}%`,
            );
          } finally {
            method.dispose();
          }
        }
        results[String(share)] = accuracies;
        row.push(cell(accuracies, 100));
      }
      rows.push(row);
      json.push({ name: candidate.name, accuracies: results });
    }
    const table = formatTable(['test top-1 (%)', ...shares.map((s) => `${100 * s}% labels`)], rows);
    log(table);
    await save(flags, task, table, json);
    return 0;
  }
  log(
    `surface normals: ${transfer.views} labelled ${NORMALS_SIZE}x${NORMALS_SIZE} views, ${transfer.testViews} test views, seeds ${transfer.seeds.join(',')}, ${transfer.steps} steps of ${transfer.batch}`,
  );
  const grey = data.train.imageShape[2] === 1;
  const views = (seed: number, count: number) =>
    syntheticNormalsSet(createKey(seed), {
      count,
      height: NORMALS_SIZE,
      width: NORMALS_SIZE,
      grayscale: grey,
    });
  const train = views(NORMALS_SEEDS.train, transfer.views);
  const test = views(NORMALS_SEEDS.test, transfer.testViews);
  const normalsData = (set: typeof train) => ({
    count: set.count,
    batch: (i: readonly number[]) => set.batch(i),
  });
  for (const candidate of candidates) {
    const metrics: { mean: number[]; median: number[]; a: number[]; b: number[]; c: number[] } = {
      mean: [],
      median: [],
      a: [],
      b: [],
      c: [],
    };
    for (const seed of transfer.seeds) {
      const method = await candidate.fresh(seed);
      try {
        const { metrics: m } = await fineTuneNormals({
          encoder: method.encoder!,
          encoderInput: method.encoderInput?.bind(method),
          train: normalsData(train),
          test: normalsData(test),
          steps: transfer.steps,
          batchSize: transfer.batch,
          learningRate: transfer.learningRate,
          key: createKey(seed),
        });
        metrics.mean.push(m.mean);
        metrics.median.push(m.median);
        metrics.a.push(m.within11_25);
        metrics.b.push(m.within22_5);
        metrics.c.push(m.within30);
        log(`  ${candidate.name}, seed ${seed}: mean ${m.mean.toFixed(1)}°, median ${m.median.toFixed(1)}°`);
      } finally {
        method.dispose();
      }
    }
    rows.push([
      candidate.name,
      cell(metrics.mean),
      cell(metrics.median),
      cell(metrics.a),
      cell(metrics.b),
      cell(metrics.c),
    ]);
    json.push({ name: candidate.name, ...metrics });
  }
  const table = formatTable(
    ['surface normals (test views)', 'mean°', 'median°', '≤11.25° %', '≤22.5° %', '≤30° %'],
    rows,
  );
  log(table);
  await save(flags, task, table, json);
  return 0;
}

async function save(flags: TrainFlags, task: string, table: string, rows: unknown): Promise<void> {
  if (!flags.out) return;
  await mkdir(flags.out, { recursive: true });
  await writeFile(join(flags.out, `transfer-${task}.txt`), `${table}\n`);
  await writeFile(join(flags.out, `transfer-${task}.json`), `${JSON.stringify(rows, null, 2)}\n`);
}
