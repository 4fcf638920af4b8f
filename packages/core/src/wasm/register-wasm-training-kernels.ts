/**
 * Registers the kernels the tfjs `wasm` backend (4.22) lacks for training convnets, each composed
 * from fast existing wasm kernels, plus a faster `Conv2DBackpropInput`.
 *
 * @packageDocumentation
 */

import { type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { BackendError } from '../errors/errors';
import { conv2DBackpropFilterWasmConfig } from './conv2d-backprop-filter';
import { createConv2DBackpropInputWasmConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterWasmConfig } from './depthwise-conv2d-native-backprop-filter';
import { depthwiseConv2dNativeBackpropInputWasmConfig } from './depthwise-conv2d-native-backprop-input';
import { findWasmKernel, WASM_BACKEND_NAME } from './kernel-scope';
import { unsortedSegmentSumWasmConfig } from './unsorted-segment-sum';

/** Kernels the wasm backend lacks; registered only where it still lacks them. */
const MISSING: readonly KernelConfig[] = [
  conv2DBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropFilterWasmConfig,
  depthwiseConv2dNativeBackpropInputWasmConfig,
  unsortedSegmentSumWasmConfig,
];

/** Kernels the composed ones call; all ship with tfjs-backend-wasm 4.22. */
const REQUIRED = [
  'Conv2D',
  'DepthwiseConv2dNative',
  'Transpose',
  'Reshape',
  'PadV2',
  'Reverse',
  'Slice',
  'Sum',
  'ScatterNd',
  'Fill',
];

/** Marks our configs, so a later call (even from another copy of this package) recognises them. */
const OURS = Symbol.for('genoise.wasmTrainingKernel');

function mark(config: KernelConfig): KernelConfig {
  return Object.assign({}, config, { [OURS]: true });
}

function isOurs(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config as unknown as Record<symbol, unknown>)[OURS] === true;
}

/**
 * Makes the tfjs `wasm` backend able to train convnets: registers `Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput` and
 * `UnsortedSegmentSum` (the `gather` gradient), which tfjs-backend-wasm 4.22 lacks, each composed
 * from fast wasm kernels (XNNPACK `Conv2D`/`DepthwiseConv2dNative`, `Transpose`, `PadV2`, `ScatterNd`),
 * and replaces `Conv2DBackpropInput` with a zero-insertion + flipped-filter `Conv2D` that is faster
 * than the stock one (the stock kernel still runs the sizes where it is faster).
 *
 * Idempotent. A missing kernel that the installed wasm backend already provides is left alone.
 * Call it after importing `@tensorflow/tfjs-backend-wasm`, before or after `setBackend('wasm')`.
 *
 * @returns the names of the kernels that are ours after the call (registered now or before).
 * @throws BackendError when the wasm backend's kernels are not registered (the package is not imported).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import '@tensorflow/tfjs-backend-wasm';
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', ..., 'Conv2DBackpropInput']
 * await tf.setBackend('wasm');
 * ```
 */
export function registerWasmTrainingKernels(): readonly string[] {
  const absent = REQUIRED.filter((name) => findWasmKernel(name) === undefined);
  if (absent.length > 0) {
    throw new BackendError({
      op: 'registerWasmTrainingKernels',
      expected: "the wasm backend's kernels (import '@tensorflow/tfjs-backend-wasm' first)",
      actual: `missing ${absent.join(', ')}`,
    });
  }
  const names: string[] = [];
  for (const config of MISSING) {
    const current = findWasmKernel(config.kernelName);
    if (current === undefined) {
      registerKernel(mark(config));
      names.push(config.kernelName);
    } else if (isOurs(current)) {
      names.push(config.kernelName);
    }
  }
  const stock = findWasmKernel('Conv2DBackpropInput');
  if (!isOurs(stock)) {
    if (stock !== undefined) unregisterKernel('Conv2DBackpropInput', WASM_BACKEND_NAME);
    registerKernel(mark(createConv2DBackpropInputWasmConfig(stock)));
  }
  names.push('Conv2DBackpropInput');
  return names;
}
