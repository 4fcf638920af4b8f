/**
 * Geometry ops, forward + backward, per backend, at the KITTI-like size the Monodepth papers train
 * at (batch 4, 192x640): `bilinearSample` (gradient to image and coordinates), `inverseWarp` (to
 * source image, depth and pose), `photometricLoss` (0.85 SSIM + 0.15 L1) and `censusLoss` (7x7).
 * Reports ms per call (median), peak tensor bytes during the call and process RSS. Writes
 * `bench-results/geometry-ops.json`.
 *
 * Env: GENOISE_BENCH_SKIP_CPU=1 skips the cpu backend (each op takes seconds there).
 */
import { createKey, initBackend, uniform } from '@genoise/core';
import { censusLoss, photometricLoss } from '@genoise/losses';
import { bilinearSample, inverseWarp, meshgrid, poseVecToMatrix } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { median, type Row, report } from './report';

const B = 4;
const H = 192;
const W = 640;

interface Case {
  readonly name: string;
  /** Builds the inputs once; returns the timed forward+backward (it returns what it computed). */
  readonly setup: () => { run: () => tf.Tensor[]; inputs: tf.Tensor[] };
}

function images(seed: number): tf.Tensor4D {
  return uniform(createKey(seed), [B, H, W, 3]) as tf.Tensor4D;
}

function intrinsics(): tf.Tensor3D {
  const k = [0.58 * W, 0, 0.5 * W - 0.5, 0, 1.92 * H, 0.5 * H - 0.5, 0, 0, 1];
  return tf.tensor3d(Array.from({ length: B }, () => k).flat(), [B, 3, 3]);
}

const CASES: readonly Case[] = [
  {
    name: 'bilinearSample (zeros)',
    setup: () => {
      const image = images(1);
      const coords = tf.tidy(() =>
        tf.add(meshgrid(B, H, W), uniform(createKey(2), [B, H, W, 2], { min: -3, max: 3 })),
      ) as tf.Tensor4D;
      const grad = tf.grads((im: tf.Tensor, xy: tf.Tensor) =>
        tf.mean(bilinearSample(im as tf.Tensor4D, xy as tf.Tensor4D, { padding: 'zeros' })),
      );
      return { inputs: [image, coords], run: () => grad([image, coords]) };
    },
  },
  {
    name: 'inverseWarp (image, depth, pose)',
    setup: () => {
      const source = images(3);
      const depth = uniform(createKey(4), [B, H, W, 1], { min: 2, max: 20 }) as tf.Tensor4D;
      const pose = tf.tensor2d(Array.from({ length: B }, () => [0.01, -0.02, 0.005, 0.1, 0.02, 0.3]).flat(), [
        B,
        6,
      ]);
      const K = intrinsics();
      const grad = tf.grads((src: tf.Tensor, d: tf.Tensor, p: tf.Tensor) =>
        tf.mean(
          inverseWarp(src as tf.Tensor4D, d as tf.Tensor4D, poseVecToMatrix(p as tf.Tensor2D), K).warped,
        ),
      );
      return { inputs: [source, depth, pose, K], run: () => grad([source, depth, pose]) };
    },
  },
  {
    name: 'photometricLoss (SSIM 0.85 + L1)',
    setup: () => {
      const a = images(5);
      const b = images(6);
      const grad = tf.grad((x: tf.Tensor) => photometricLoss(x as tf.Tensor4D, b) as tf.Scalar);
      return { inputs: [a, b], run: () => [grad(a)] };
    },
  },
  {
    name: 'censusLoss (7x7)',
    setup: () => {
      const a = images(7);
      const b = images(8);
      const grad = tf.grad((x: tf.Tensor) => censusLoss(x as tf.Tensor4D, b) as tf.Scalar);
      return { inputs: [a, b], run: () => [grad(a)] };
    },
  },
];

async function time(c: Case, repeats: number): Promise<{ ms: number; peakMB: number }> {
  const { run, inputs } = c.setup();
  const times: number[] = [];
  for (let i = 0; i < repeats + 1; i++) {
    const started = performance.now();
    const out = run();
    await Promise.all(out.map((t) => t.data()));
    if (i > 0) times.push(performance.now() - started); // the first call sets kernels up
    tf.dispose(out);
  }
  // One more call under tf.profile for the peak of tensor bytes allocated during the call.
  const profile = await tf.profile(() => {
    tf.dispose(run());
  });
  tf.dispose(inputs);
  return { ms: median(times), peakMB: profile.peakBytes / 2 ** 20 };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const backends = process.env.GENOISE_BENCH_SKIP_CPU === '1' ? ['wasm'] : ['wasm', 'cpu'];
  for (const backend of backends) {
    await initBackend({ prefer: backend as 'wasm' | 'cpu' });
    for (const c of CASES) {
      const { ms, peakMB } = await time(c, backend === 'cpu' ? 1 : 3);
      rows.push({
        backend,
        op: c.name,
        'ms fwd+bwd': ms,
        'peak tensor MB': peakMB,
        'RSS MB': process.memoryUsage().rss / 2 ** 20,
        'tensors after': tf.memory().numTensors,
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }
  report('geometry-ops', rows, [
    `batch ${B}, ${H}x${W}x3; forward + backward, median of 3 after a warm-up call on wasm, one call on cpu`,
    "'peak tensor MB' is tf.profile's peakBytes during one call (inputs excluded); RSS is the process after the op",
  ]);
}

await main();
