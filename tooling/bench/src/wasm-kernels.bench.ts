/**
 * Each composed wasm training kernel against the stock wasm kernel where one exists and against the
 * `cpu` backend, at realistic shapes (batch 256, 32x32, 3x3). Prints ms per call (median) and writes
 * `bench-results/wasm-kernels.json`.
 *
 * Run: `pnpm --filter @genoise/bench build && pnpm --filter @genoise/bench bench:kernels`.
 */

import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '@genoise/core';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { median, type Row, report, seeded } from './report';

const CPU_REPS = Number(process.env.GENOISE_BENCH_CPU_REPS ?? 1);
const WASM_REPS = Number(process.env.GENOISE_BENCH_WASM_REPS ?? 5);
const SKIP_CPU = process.env.GENOISE_BENCH_SKIP_CPU === '1';

type Shape = number[];
interface Case {
  kernel: string;
  label: string;
  inputs: Record<string, { shape: Shape; dtype?: 'float32' | 'int32'; values?: Int32Array }>;
  attrs: NamedAttrMap;
  cpu?: boolean;
}

function convCase(
  kernel: 'Conv2DBackpropInput' | 'Conv2DBackpropFilter',
  b: number,
  hw: number,
  ci: number,
  co: number,
  k: number,
  s: number,
  cpu: boolean,
): Case {
  const out = Math.ceil(hw / s);
  const filterShape = [k, k, ci, co];
  const label = `B${b} ${hw}x${hw} ${ci}->${co} k${k} s${s} same`;
  if (kernel === 'Conv2DBackpropInput') {
    return {
      kernel,
      label,
      cpu,
      inputs: { dy: { shape: [b, out, out, co] }, filter: { shape: filterShape } },
      attrs: { strides: s, pad: 'same', dataFormat: 'NHWC', inputShape: [b, hw, hw, ci] },
    };
  }
  return {
    kernel,
    label,
    cpu,
    inputs: { x: { shape: [b, hw, hw, ci] }, dy: { shape: [b, out, out, co] } },
    attrs: { strides: s, pad: 'same', dataFormat: 'NHWC', filterShape },
  };
}

function depthwiseCase(
  kernel: 'DepthwiseConv2dNativeBackpropInput' | 'DepthwiseConv2dNativeBackpropFilter',
  b: number,
  hw: number,
  c: number,
  s: number,
  cpu: boolean,
): Case {
  const out = Math.ceil(hw / s);
  const filterShape = [3, 3, c, 1];
  const label = `B${b} ${hw}x${hw} C${c} k3 s${s} same`;
  const attrs = { strides: s, dilations: 1, pad: 'same' };
  if (kernel === 'DepthwiseConv2dNativeBackpropInput') {
    return {
      kernel,
      label,
      cpu,
      inputs: { dy: { shape: [b, out, out, c] }, filter: { shape: filterShape } },
      attrs: { ...attrs, inputShape: [b, hw, hw, c] },
    };
  }
  return {
    kernel,
    label,
    cpu,
    inputs: { x: { shape: [b, hw, hw, c] }, dy: { shape: [b, out, out, c] } },
    attrs: { ...attrs, filterShape },
  };
}

// The tfjs cpu kernels are far too slow at batch 256 (cpu Conv2DBackpropFilter ran for more than
// 9 minutes), so cpu is compared at batch 8, against wasm at the same batch 8 shape.
const CASES: Case[] = [
  convCase('Conv2DBackpropInput', 256, 32, 32, 64, 3, 1, false),
  convCase('Conv2DBackpropInput', 8, 32, 32, 64, 3, 1, true),
  convCase('Conv2DBackpropInput', 256, 32, 32, 64, 3, 2, false),
  convCase('Conv2DBackpropInput', 256, 16, 64, 128, 3, 2, false),
  convCase('Conv2DBackpropInput', 256, 32, 16, 16, 3, 1, false),
  convCase('Conv2DBackpropInput', 256, 32, 4, 4, 3, 1, false),
  convCase('Conv2DBackpropInput', 256, 32, 3, 8, 3, 1, false),
  convCase('Conv2DBackpropInput', 256, 32, 2, 2, 3, 1, false),
  convCase('Conv2DBackpropInput', 256, 32, 1, 1, 3, 1, false),
  convCase('Conv2DBackpropFilter', 256, 32, 32, 64, 3, 1, false),
  convCase('Conv2DBackpropFilter', 8, 32, 32, 64, 3, 1, true),
  convCase('Conv2DBackpropFilter', 256, 32, 3, 32, 3, 1, false),
  convCase('Conv2DBackpropFilter', 256, 32, 32, 64, 3, 2, false),
  convCase('Conv2DBackpropFilter', 256, 16, 64, 128, 3, 2, false),
  depthwiseCase('DepthwiseConv2dNativeBackpropInput', 256, 32, 32, 1, false),
  depthwiseCase('DepthwiseConv2dNativeBackpropInput', 8, 32, 32, 1, true),
  depthwiseCase('DepthwiseConv2dNativeBackpropFilter', 256, 32, 32, 1, false),
  depthwiseCase('DepthwiseConv2dNativeBackpropFilter', 8, 32, 32, 1, true),
  depthwiseCase('DepthwiseConv2dNativeBackpropFilter', 256, 32, 32, 2, false),
  {
    kernel: 'UnsortedSegmentSum',
    label: 'x [16384, 64] into 1000 segments',
    cpu: true,
    inputs: {
      x: { shape: [16384, 64] },
      segmentIds: {
        shape: [16384],
        dtype: 'int32',
        values: Int32Array.from({ length: 16384 }, (_, i) => (i * 7919) % 1000),
      },
    },
    attrs: { numSegments: 1000 },
  },
];

type Runner = (inputs: Record<string, tf.Tensor>, attrs: NamedAttrMap) => tf.Tensor;

function viaEngine(kernel: string): Runner {
  return (inputs, attrs) => tf.engine().runKernel(kernel, inputs, attrs) as tf.Tensor;
}

function direct(
  kernelFunc: (args: {
    inputs: Record<string, TensorInfo>;
    backend: object;
    attrs: NamedAttrMap;
  }) => TensorInfo,
): Runner {
  return (inputs, attrs) =>
    tf.engine().makeTensorFromTensorInfo(kernelFunc({ inputs, backend: tf.backend(), attrs }));
}

async function time(backend: 'cpu' | 'wasm', c: Case, run: Runner, reps: number): Promise<number> {
  await tf.setBackend(backend);
  const inputs: Record<string, tf.Tensor> = {};
  let seed = 1;
  for (const [name, spec] of Object.entries(c.inputs)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    inputs[name] =
      spec.values !== undefined
        ? tf.tensor(spec.values, spec.shape, 'int32')
        : tf.tensor(seeded(size, seed++), spec.shape);
  }
  const samples: number[] = [];
  const warmups = backend === 'wasm' ? 1 : 0;
  for (let i = 0; i < warmups + reps; i++) {
    const start = performance.now();
    const out = run(inputs, c.attrs);
    await out.data();
    const ms = performance.now() - start;
    out.dispose();
    if (i >= warmups) samples.push(ms);
  }
  tf.dispose(Object.values(inputs));
  return median(samples);
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  const stock = tf.getKernel('Conv2DBackpropInput', 'wasm') as KernelConfig | undefined;
  const registered = registerWasmTrainingKernels();
  console.log(`registered on wasm: ${registered.join(', ')}`);
  const rows: Row[] = [];
  for (const c of CASES) {
    // After registerWasmTrainingKernels() the engine dispatches to the composed kernels.
    const composedMs = await time('wasm', c, viaEngine(c.kernel), WASM_REPS);
    const stockMs =
      c.kernel === 'Conv2DBackpropInput' && stock !== undefined
        ? await time('wasm', c, direct(stock.kernelFunc as Parameters<typeof direct>[0]), WASM_REPS)
        : null;
    const cpuMs = c.cpu === true && !SKIP_CPU ? await time('cpu', c, viaEngine(c.kernel), CPU_REPS) : null;
    const row: Row = {
      kernel: c.kernel,
      shape: c.label,
      'wasm composed ms': composedMs,
      'wasm stock ms': stockMs,
      'cpu ms': cpuMs,
      'stock/composed': stockMs === null ? null : stockMs / composedMs,
      'cpu/composed': cpuMs === null ? null : cpuMs / composedMs,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  report('wasm-kernels', rows, [
    `median of ${WASM_REPS} calls after 1 warm-up on wasm; cpu: ${CPU_REPS} call(s), no warm-up, only on the batch-8 rows (cpu at batch 256 takes minutes per call)`,
    "'wasm composed' is what the engine runs after registerWasmTrainingKernels(); 'wasm stock' is tfjs-backend-wasm's own kernel, where it has one",
  ]);
}

await main();
