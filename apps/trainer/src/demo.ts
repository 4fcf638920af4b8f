import { type BackendName, createKey, initBackend, normal, splitKey, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Stripes of a random orientation: class 0 horizontal, 1 vertical, with a random phase and noise. */
function stripes(seed: number, count: number, size: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const [kLabel, kPhase, kNoise] = splitKey(createKey(seed), 3);
  const labels = uniformValues(kLabel!, count);
  const phases = uniformValues(kPhase!, count, 0, 2 * Math.PI);
  const pixels = new Float32Array(count * size * size);
  const onehot = new Float32Array(count * 2);
  for (let n = 0; n < count; n++) {
    const vertical = labels[n]! < 0.5 ? 0 : 1;
    onehot[n * 2 + vertical] = 1;
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const t = vertical ? j : i;
        pixels[(n * size + i) * size + j] = 0.5 + 0.5 * Math.sin(t * 1.3 + phases[n]!);
      }
    }
  }
  return tf.tidy(() => ({
    x: tf.clipByValue(
      tf.add(
        tf.tensor4d(pixels, [count, size, size, 1]),
        normal(kNoise!, [count, size, size, 1], { std: 0.3 }),
      ),
      0,
      1,
    ) as tf.Tensor4D,
    y: tf.tensor2d(onehot, [count, 2]),
  }));
}

/**
 * What `pnpm start` runs until the trainer's training commands land: picks the best backend, shows
 * seeded keys reproducing the same numbers, and trains a small convnet classifier on seeded stripe
 * images with the composed wasm training kernels, timing a step on each backend present.
 */
export async function demo(prefer?: BackendName): Promise<void> {
  const info = await initBackend(prefer ? { prefer } : {});
  console.log(`backend: ${info.name} (${info.reason})`);
  console.log(
    `float precision ${info.floatPrecision} bits${info.simd !== undefined ? `, SIMD ${info.simd ? 'on' : 'off'}` : ''}`,
  );

  const key = createKey(2026);
  const a = Array.from(uniformValues(key, 3)).map((v) => v.toFixed(6));
  const b = Array.from(uniformValues(key, 3)).map((v) => v.toFixed(6));
  console.log(`keys: createKey(2026) draws [${a.join(', ')}] and again [${b.join(', ')}]`);

  const { x, y } = stripes(1, 256, 16);
  const [k1, k2, k3] = splitKey(key, 3);
  const w1 = tf.variable(normal(k1!, [3, 3, 1, 8], { std: 0.4 }));
  const w2 = tf.variable(normal(k2!, [3, 3, 8, 16], { std: 0.15 }));
  const w3 = tf.variable(normal(k3!, [16, 2], { std: 0.3 }));
  const logits = (input: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const h1 = tf.relu(tf.conv2d(input, w1 as tf.Tensor4D, 1, 'same'));
      const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Tensor4D, 2, 'same'));
      return tf.matMul(tf.mean(h2, [1, 2]) as tf.Tensor2D, w3 as tf.Tensor2D);
    });
  const optimizer = tf.train.adam(0.03);
  const accuracy = async (): Promise<number> => {
    const hits = tf.tidy(() =>
      tf.mean(tf.cast(tf.equal(tf.argMax(logits(x), 1), tf.argMax(y, 1)), 'float32')),
    );
    const value = (await hits.data())[0]!;
    hits.dispose();
    return value;
  };
  console.log(
    `training a 2-layer convnet to tell horizontal from vertical stripes (256 images, 16x16) on ${info.name}`,
  );
  const before = await accuracy();
  const start = performance.now();
  const steps = 40;
  for (let step = 1; step <= steps; step++) {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, logits(x)) as tf.Scalar, true)!;
    if (step === 1 || step % 10 === 0)
      console.log(`  step ${String(step).padStart(2)}  loss ${(await loss.data())[0]!.toFixed(4)}`);
    loss.dispose();
  }
  const msPerStep = (performance.now() - start) / steps;
  console.log(
    `accuracy ${(before * 100).toFixed(1)}% -> ${((await accuracy()) * 100).toFixed(1)}%, ${msPerStep.toFixed(1)} ms/step`,
  );
  tf.dispose([x, y, w1, w2, w3]);
  optimizer.dispose();
  console.log(`tensors alive after cleanup: ${tf.memory().numTensors}`);
}
