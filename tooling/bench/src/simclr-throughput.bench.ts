/**
 * SimCLR training throughput with the real recipe (`@genoise/train`: views, small convnet, projection
 * head, NT-Xent, Adam) on Fashion-MNIST, per backend: views per second, ms per step, peak tensor bytes
 * and peak RSS. Then a memory soak on wasm: tensors, tensor bytes and RSS at step 100 and at the last
 * step of a long run, which must be flat. Writes `bench-results/simclr-throughput.json` and
 * `bench-results/memory-soak.json`.
 *
 * Env: GENOISE_BENCH_SOAK_STEPS (default 1000; 0 skips the soak), GENOISE_BENCH_SKIP_CPU=1.
 */
import { initBackend } from '@genoise/core';
import { loadFashionMnist } from '@genoise/data/node';
import { resolveTrainConfig, train } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { median, type Row, report } from './report';

async function throughput(backend: 'wasm' | 'cpu', batchSize: number, steps: number): Promise<Row> {
  await initBackend({ prefer: backend });
  const dataset = await loadFashionMnist({
    split: 'train',
    limit: batchSize * (steps + 1),
    onWarning: () => {},
  });
  const config = resolveTrainConfig({
    method: { name: 'simclr' },
    batchSize,
    steps: steps + 1,
    checkpointEvery: 10_000,
  });
  const times: number[] = [];
  let last = performance.now();
  let peakBytes = 0;
  const result = await train(config, dataset, {
    onStep: () => {
      const now = performance.now();
      times.push(now - last);
      last = now;
      peakBytes = Math.max(peakBytes, tf.memory().numBytes);
    },
  });
  result.method.dispose();
  const ms = median(times.slice(1)); // the first step includes kernel set-up
  return {
    backend,
    batch: batchSize,
    'timed steps': times.length - 1,
    'ms/step': ms,
    'views/s': Math.round((2 * batchSize * 1000) / ms),
    'peak tensor MB (between steps)': peakBytes / 2 ** 20,
    'peak RSS MB': (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
  };
}

/** Three full garbage collections, 50 ms apart (a no-op unless node runs with --expose-gc). */
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Size of the wasm backend's linear memory (it grows, never shrinks), or 0 on other backends. */
function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.byteLength ?? 0;
}

async function soak(steps: number): Promise<Row[]> {
  await initBackend({ prefer: 'wasm' });
  const batchSize = 64;
  const dataset = await loadFashionMnist({ split: 'train', onWarning: () => {} });
  const config = resolveTrainConfig({
    method: { name: 'simclr' },
    batchSize,
    steps,
    checkpointEvery: 100_000,
  });
  const rows: Row[] = [];
  const result = await train(config, dataset, {
    onStep: async (e) => {
      if (e.step === 100 || e.step === steps || e.step % 250 === 0) {
        // Full collections first (node runs with --expose-gc), with pauses so V8 can also free the
        // backing stores of dead ArrayBuffers, which it does lazily: the numbers then show what is
        // retained, not garbage that has not been collected yet.
        await collectGarbage();
        const m = tf.memory();
        rows.push({
          step: e.step,
          tensors: m.numTensors,
          'tensor MB': m.numBytes / 2 ** 20,
          'RSS MB': process.memoryUsage().rss / 2 ** 20,
          'JS heap MB': process.memoryUsage().heapUsed / 2 ** 20,
          'array buffers MB': process.memoryUsage().arrayBuffers / 2 ** 20,
          'wasm heap MB': wasmHeapBytes() / 2 ** 20,
          loss: e.loss,
        });
        console.log(JSON.stringify(rows.at(-1)));
      }
    },
  });
  result.method.dispose();
  return rows;
}

async function main(): Promise<void> {
  const rows: Row[] = [await throughput('wasm', 256, 5)];
  if (process.env.GENOISE_BENCH_SKIP_CPU !== '1') rows.push(await throughput('cpu', 32, 2));
  report('simclr-throughput', rows, [
    'genoise train simclr defaults (small convnet 16-32-64 with stride-2 stage convs, projection 256-64, NT-Xent T 0.2, Adam) on Fashion-MNIST 28x28x1; ms/step is the median after the first step',
    'cpu runs at batch 32 (a batch-256 step takes minutes there); compare views/s',
  ]);
  const steps = Number(process.env.GENOISE_BENCH_SOAK_STEPS ?? 1000);
  if (steps > 0) {
    const soakRows = await soak(steps);
    const at100 = soakRows.find((r) => r.step === 100);
    const end = soakRows.at(-1);
    report('memory-soak', soakRows, [
      `SimCLR on wasm, batch 64, ${steps} steps: memory must stay flat from step 100 to the end`,
      `tensors ${at100?.tensors} -> ${end?.tensors}; tensor MB ${(at100?.['tensor MB'] as number)?.toFixed(1)} -> ${(end?.['tensor MB'] as number)?.toFixed(1)}; RSS MB ${(at100?.['RSS MB'] as number)?.toFixed(0)} -> ${(end?.['RSS MB'] as number)?.toFixed(0)}`,
    ]);
  }
}

await main();
