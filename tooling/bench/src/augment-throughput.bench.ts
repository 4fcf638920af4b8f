/**
 * Augmentation throughput: SimCLR views per second (`makeViews` of the SimCLR recipe, two views per
 * image, batch 256) at 28x28x1 (the small-image preset) and 96x96x3 (the ImageNet preset), on each
 * backend. Writes `bench-results/augment-throughput.json`.
 *
 * Env: GENOISE_BENCH_CPU_FULL=1 also times 96x96x3 on cpu (over two minutes per batch).
 */
import { measureViewThroughput } from '@genoise/augment';
import { initBackend } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Row, report } from './report';

const CASES = [
  { size: 28, channels: 1 },
  { size: 96, channels: 3 },
] as const;

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend({ prefer: backend });
    for (const c of CASES) {
      if (backend === 'cpu' && c.size === 96 && process.env.GENOISE_BENCH_CPU_FULL !== '1') continue;
      const iterations = backend === 'cpu' ? 1 : 5;
      const r = await measureViewThroughput({
        size: c.size,
        channels: c.channels,
        batchSize: 256,
        recipe: 'simclr',
        iterations,
      });
      rows.push({
        backend,
        image: `${c.size}x${c.size}x${c.channels}`,
        recipe: r.recipe,
        'views/s': Math.round(r.viewsPerSecond),
        'ms/batch': r.msPerBatch,
        batches: iterations,
        'tensors after': tf.memory().numTensors,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
  const wasm28 = rows.find((r) => r.backend === 'wasm' && r.image === '28x28x1');
  const cpu28 = rows.find((r) => r.backend === 'cpu' && r.image === '28x28x1');
  report('augment-throughput', rows, [
    'batch 256, two SimCLR views per image; ms per batch is the mean over the timed batches after one warm-up batch',
    `28x28x1 wasm vs cpu: ${((cpu28?.['ms/batch'] as number) / (wasm28?.['ms/batch'] as number)).toFixed(1)}x`,
    'cpu 96x96x3 skipped unless GENOISE_BENCH_CPU_FULL=1 (measured once at about 135 s per batch)',
  ]);
}

await main();
