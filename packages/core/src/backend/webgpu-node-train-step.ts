/**
 * Test fixture (not exported from the package): one SGD step of a tiny convnet with fixed weights
 * and data, to compare backends. Used in-process by `webgpu-node.test.ts` (cpu reference) and in
 * child `node` processes by `webgpu-node-child.ts` (cpu and webgpu).
 *
 * @internal
 * @packageDocumentation
 */
import {
  add,
  conv2d,
  dispose,
  getBackend,
  losses,
  matMul,
  mean,
  mul,
  norm,
  oneHot,
  relu,
  type Scalar,
  scalar,
  sub,
  type Tensor2D,
  type Tensor4D,
  tensor,
  tensor1d,
  tidy,
  type Variable,
  variable,
  variableGrads,
} from '@tensorflow/tfjs-core';

/** What {@link tinyConvnetStep} measured. */
export interface TinyConvnetStepResult {
  /** `tf.getBackend()` while it ran. */
  readonly backend: string;
  /** Softmax cross-entropy before the step. */
  readonly loss: number;
  /** The same loss after one SGD step (learning rate 0.5). */
  readonly lossAfter: number;
  /** L2 norm of each variable's gradient, by variable (`conv`, `convBias`, `dense`, `denseBias`). */
  readonly gradNorms: Readonly<Record<string, number>>;
  /** Wall time of the step, in ms, including shader compilation on WebGPU. */
  readonly ms: number;
}

/**
 * A linear congruential generator (Numerical Recipes constants), for fixed test data without
 * `Math.random`.
 *
 * @param seed - Any 32-bit integer.
 * @returns A function giving the next value in [0, 1).
 */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function values(next: () => number, n: number, scale: number, offset: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() + offset) * scale;
  return out;
}

/**
 * Runs one training step of conv2d 3x3 (3 -> 8 channels, same padding) + relu + global mean pool +
 * dense (8 -> 5) with softmax cross-entropy on a batch of 4 images 8x8x3, with `tf.variableGrads`,
 * on the current tfjs backend. Needs gradients registered.
 *
 * @param seed - Seed of the weights, images and labels. Default 7.
 * @returns The loss before and after the step, the gradient norms and the wall time.
 * @example
 * ```ts
 * await tf.setBackend('cpu');
 * const { loss, gradNorms } = await tinyConvnetStep();
 * ```
 */
export async function tinyConvnetStep(seed = 7): Promise<TinyConvnetStepResult> {
  const start = performance.now();
  const next = lcg(seed);
  const batch = 4;
  const classes = 5;
  const x = tensor(values(next, batch * 8 * 8 * 3, 1, 0), [batch, 8, 8, 3]); // [B, H, W, C]
  const labelIds = Int32Array.from({ length: batch }, () => Math.floor(next() * classes));
  const labels = oneHot(tensor1d(labelIds, 'int32'), classes); // [B, 5]
  const vars: Variable[] = [
    variable(tensor(values(next, 3 * 3 * 3 * 8, 0.6, -0.5), [3, 3, 3, 8]), true, `conv_${seed}`),
    variable(tensor(values(next, 8, 0.2, -0.5), [8]), true, `convBias_${seed}`),
    variable(tensor(values(next, 8 * classes, 1.5, -0.5), [8, classes]), true, `dense_${seed}`),
    variable(tensor(values(next, classes, 0.2, -0.5), [classes]), true, `denseBias_${seed}`),
  ];
  const [convW, convB, denseW, denseB] = vars as [Variable, Variable, Variable, Variable];
  const lossFn = (): Scalar =>
    tidy(() => {
      const h = relu(add(conv2d(x as Tensor4D, convW as Tensor4D, 1, 'same'), convB)); // [B, 8, 8, 8]
      const pooled = mean(h, [1, 2]); // [B, 8]
      const logits = add(matMul(pooled as Tensor2D, denseW as Tensor2D), denseB); // [B, 5]
      return losses.softmaxCrossEntropy(labels, logits) as Scalar;
    });
  const { value, grads } = variableGrads(lossFn, vars);
  const loss = (await value.data())[0] ?? Number.NaN;
  const gradNorms: Record<string, number> = {};
  for (const [i, v] of vars.entries()) {
    const g = grads[v.name];
    if (g === undefined) throw new Error(`no gradient for ${v.name}`);
    const n = norm(g);
    gradNorms[['conv', 'convBias', 'dense', 'denseBias'][i] ?? v.name] = (await n.data())[0] ?? Number.NaN;
    n.dispose();
    const lr = scalar(0.5);
    const step = mul(lr, g);
    const updated = sub(v, step);
    v.assign(updated);
    dispose([lr, step, updated]);
  }
  const after = lossFn();
  const lossAfter = (await after.data())[0] ?? Number.NaN;
  const backend = getBackend();
  dispose([x, labels, value, after, ...Object.values(grads), ...vars]);
  return { backend, loss, lossAfter, gradNorms, ms: performance.now() - start };
}
