/**
 * Test helpers for the composed wasm kernels (not exported from the package): seeded data, running
 * one kernel on a chosen backend, comparing with tolerances, and counting live tensors and data ids.
 *
 * @packageDocumentation
 */

import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Uniform values in `[-1, 1)` from a 32-bit LCG (Numerical Recipes constants), seeded. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 4294967296) * 2 - 1;
  }
  return out;
}

/** Sets the backend (registering the imported ones on first use) and waits for it. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend '${name}' failed to initialise`);
  await tf.ready();
}

/** Live data ids of the active backend (the wasm and cpu backends both count them). */
export function numDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

/** Float32 inputs for a kernel: name to shape and seed. */
export type KernelInputs = Record<
  string,
  { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }
>;

/**
 * Runs `kernelName` on `backend` with fresh copies of `inputs`, checks that no tensor and no backend
 * data id outlives the call (besides the output), and returns the output values and shape.
 */
export async function runOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: KernelInputs,
  attrs: NamedAttrMap,
  direct?: (args: { inputs: Record<string, TensorInfo>; backend: object; attrs: NamedAttrMap }) => TensorInfo,
): Promise<{ values: Float32Array; shape: number[] }> {
  await useBackend(backend);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, input] of Object.entries(inputs)) {
    tensors[name] = tf.tensor(input.values, input.shape, input.dtype ?? 'float32');
  }
  try {
    const tensorsBefore = tf.memory().numTensors;
    const idsBefore = numDataIds();
    let out: tf.Tensor;
    if (direct === undefined) {
      out = tf.engine().runKernel(kernelName, tensors, attrs) as tf.Tensor;
    } else {
      const info = direct({ inputs: tensors, backend: tf.backend(), attrs });
      out = tf.engine().makeTensorFromTensorInfo(info);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
    expect(numDataIds()).toBe(idsBefore + 1);
    const values = (await out.data()) as Float32Array;
    const shape = out.shape;
    out.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(numDataIds()).toBe(idsBefore);
    return { values: Float32Array.from(values), shape };
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/**
 * Asserts `|actual − expected| ≤ atol + rtol·|expected|` elementwise, with `atol` scaled by the
 * largest reference magnitude (float32 sums of many terms).
 */
export function expectClose(
  actual: { values: Float32Array; shape: number[] },
  expected: { values: Float32Array; shape: number[] },
  { rtol = 1e-4, atol = 1e-5 }: { rtol?: number; atol?: number } = {},
): void {
  expect(actual.shape).toEqual(expected.shape);
  let scale = 1;
  for (const v of expected.values) scale = Math.max(scale, Math.abs(v));
  const tolerance = atol * scale;
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < expected.values.length; i++) {
    const e = expected.values[i] ?? 0;
    const a = actual.values[i] ?? Number.NaN;
    const excess = Math.abs(a - e) - (tolerance + rtol * Math.abs(e));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
      worstIndex = i;
    }
  }
  if (worstIndex >= 0) {
    expect.fail(
      `element ${worstIndex}: ${actual.values[worstIndex]} vs ${expected.values[worstIndex]} (tolerance exceeded by ${worst})`,
    );
  }
}
