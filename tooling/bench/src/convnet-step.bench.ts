/**
 * One SimCLR training step of a small convnet (256 images of 32x32x3 as 2 views of 128, three 3x3
 * convs, global average pool, 2-layer projection, NT-Xent loss at temperature 0.5, Adam), timed on
 * `cpu` and on `wasm` with the composed training kernels. Each backend runs in its own child process
 * so the peak RSS is its own. Prints ms/step, the ratio and peak memory; writes
 * `bench-results/convnet-step.json`.
 *
 * Run: `pnpm --filter @genoise/bench build && pnpm --filter @genoise/bench bench:convnet`.
 * Env: GENOISE_BENCH_WASM_STEPS (default 5), GENOISE_BENCH_CPU_STEPS (default 1), GENOISE_BENCH_SKIP_CPU=1.
 */

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { median, type Row, report, seeded } from './report';

const PAIRS = 128; // 2 views each: 256 images per step
const SIZE = 32;
const TEMPERATURE = 0.5;

interface Result {
  backend: string;
  warmupSteps: number;
  timedSteps: number;
  msPerStep: number;
  stepsMs: number[];
  losses: number[];
  peakTensorBytes: number;
  peakRssBytes: number;
}

function params(): Record<string, tf.Variable> {
  const shapes: Record<string, number[]> = {
    conv1: [3, 3, 3, 32],
    conv2: [3, 3, 32, 64],
    conv3: [3, 3, 64, 128],
    proj1: [128, 128],
    bias1: [128],
    proj2: [128, 64],
  };
  const out: Record<string, tf.Variable> = {};
  let seed = 1;
  for (const [name, shape] of Object.entries(shapes)) {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    out[name] = tf.tidy(() =>
      tf.variable(
        tf.mul(
          tf.tensor(
            seeded(
              shape.reduce((a, b) => a * b),
              seed++,
            ),
            shape,
          ),
          Math.sqrt(3 / fanIn),
        ),
        true,
        name,
      ),
    );
  }
  return out;
}

/** `z = g(f(x))`, L2-normalised: `[2N, 32, 32, 3]` to `[2N, 64]`. */
function embed(p: Record<string, tf.Variable>, x: tf.Tensor4D): tf.Tensor2D {
  let h = tf.relu(tf.conv2d(x, p.conv1 as tf.Tensor4D, 1, 'same')); // [2N, 32, 32, 32]
  h = tf.relu(tf.conv2d(h as tf.Tensor4D, p.conv2 as tf.Tensor4D, 2, 'same')); // [2N, 16, 16, 64]
  h = tf.relu(tf.conv2d(h as tf.Tensor4D, p.conv3 as tf.Tensor4D, 2, 'same')); // [2N, 8, 8, 128]
  const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D; // [2N, 128]
  const z = tf.matMul(
    tf.relu(tf.add(tf.matMul(pooled, p.proj1 as tf.Tensor2D), p.bias1 as tf.Tensor1D)) as tf.Tensor2D,
    p.proj2 as tf.Tensor2D,
  );
  return tf.div(z, tf.sqrt(tf.add(tf.sum(tf.square(z), 1, true), 1e-12))) as tf.Tensor2D;
}

/** NT-Xent: `−mean_i log softmax_{j≠i}(z_i·z_j / τ)[pair(i)]` over the 2N views. */
function ntXent(z: tf.Tensor2D, positives: tf.Tensor2D, diagonal: tf.Tensor2D): tf.Scalar {
  const logits = tf.sub(tf.div(tf.matMul(z, z, false, true), TEMPERATURE), tf.mul(diagonal, 1e9));
  return tf.neg(tf.mean(tf.sum(tf.mul(positives, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

async function runBackend(backend: 'cpu' | 'wasm', warmupSteps: number, timedSteps: number): Promise<Result> {
  await initBackend({ prefer: backend }); // gradients, and on wasm the composed training kernels
  const n = 2 * PAIRS;
  const base = tf.tensor4d(seeded(PAIRS * SIZE * SIZE * 3, 7), [PAIRS, SIZE, SIZE, 3]);
  const views = tf.tidy(() => {
    const noise = tf.tensor4d(seeded(n * SIZE * SIZE * 3, 9), [n, SIZE, SIZE, 3]);
    return tf.add(tf.concat([base, base], 0), tf.mul(noise, 0.1)) as tf.Tensor4D; // [2N, 32, 32, 3]
  });
  const pairIndex = tf.tensor1d(
    Array.from({ length: n }, (_, i) => (i + PAIRS) % n),
    'int32',
  );
  const positives = tf.tidy(() => tf.cast(tf.oneHot(pairIndex, n), 'float32')) as tf.Tensor2D;
  const diagonal = tf.eye(n) as tf.Tensor2D;
  const p = params();
  const optimizer = tf.train.adam(1e-3);
  const step = (): number => {
    const start = performance.now();
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => ntXent(embed(p, views), positives, diagonal)),
    );
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    const loss = value.dataSync()[0] ?? Number.NaN;
    tf.dispose([value, ...Object.values(grads)]);
    stepsMs.push(performance.now() - start);
    losses.push(loss);
    return loss;
  };
  const stepsMs: number[] = [];
  const losses: number[] = [];
  let peakTensorBytes = 0;
  for (let i = 0; i < warmupSteps; i++) {
    // The warm-up step also measures the peak of tf.memory().numBytes inside the step.
    const profile = await tf.profile(() => {
      step();
    });
    peakTensorBytes = Math.max(peakTensorBytes, profile.peakBytes);
  }
  for (let i = 0; i < timedSteps; i++) step();
  if (warmupSteps === 0) peakTensorBytes = Math.max(peakTensorBytes, tf.memory().numBytes);
  const timed = stepsMs.slice(warmupSteps);
  tf.dispose([base, views, pairIndex, positives, diagonal, ...Object.values(p)]);
  optimizer.dispose();
  return {
    backend,
    warmupSteps,
    timedSteps,
    msPerStep: median(timed),
    stepsMs: timed,
    losses,
    peakTensorBytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function child(backend: 'cpu' | 'wasm', warmup: number, timed: number): Result {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [self, '--child', backend, String(warmup), String(timed)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no result from the ${backend} child:\n${out}`);
  return JSON.parse(line.slice('RESULT '.length)) as Result;
}

async function main(): Promise<void> {
  const [flag, backend, warmup, timed] = process.argv.slice(2);
  if (flag === '--child' && (backend === 'cpu' || backend === 'wasm')) {
    const result = await runBackend(backend, Number(warmup), Number(timed));
    console.log(`RESULT ${JSON.stringify(result)}`);
    return;
  }
  const wasmSteps = Number(process.env.GENOISE_BENCH_WASM_STEPS ?? 5);
  const cpuSteps = Number(process.env.GENOISE_BENCH_CPU_STEPS ?? 1);
  const results: Result[] = [child('wasm', 1, wasmSteps)];
  if (process.env.GENOISE_BENCH_SKIP_CPU !== '1') results.push(child('cpu', 0, cpuSteps));
  const wasmMs = results[0]?.msPerStep ?? Number.NaN;
  const rows: Row[] = results.map((r) => ({
    backend: r.backend,
    'ms/step': r.msPerStep,
    'x wasm': r.msPerStep / wasmMs,
    'timed steps': r.timedSteps,
    'warm-up steps': r.warmupSteps,
    'peak tensor MB': r.peakTensorBytes / 2 ** 20,
    'peak RSS MB': r.peakRssBytes / 2 ** 20,
    'first loss': r.losses[0] ?? null,
  }));
  report('convnet-step', rows, [
    `SimCLR step: ${2 * PAIRS} images (2 views of ${PAIRS}) of ${SIZE}x${SIZE}x3, conv 3->32 s1, 32->64 s2, 64->128 s2 (3x3 'same', relu), global mean pool, 128->128->64 projection, NT-Xent (tau ${TEMPERATURE}), Adam`,
    `wasm: median of ${wasmSteps} steps after 1 warm-up step (the warm-up runs under tf.profile for the peak tensor bytes); cpu: ${cpuSteps} step(s) without warm-up (a cpu step takes over a minute), peak tensor bytes there are tf.memory().numBytes after the step`,
    'peak RSS is process.resourceUsage().maxRSS of a child process per backend',
    `per-step ms: ${results.map((r) => `${r.backend} [${r.stepsMs.map((m) => m.toFixed(0)).join(', ')}]`).join('; ')}`,
  ]);
}

await main();
