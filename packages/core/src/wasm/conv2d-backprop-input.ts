/**
 * A faster `Conv2DBackpropInput` for the `wasm` backend, composed from the wasm `PadV2`, `Reverse`,
 * `Transpose` and `Conv2D` (XNNPACK) kernels, with the stock wasm kernel kept for the cases where it
 * is faster.
 *
 * @packageDocumentation
 */

import {
  backend_util,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../errors/errors';
import { composed, type KernelArgs, requireInput, shape4, WASM_BACKEND_NAME } from './kernel-scope';

const KERNEL = 'Conv2DBackpropInput';

/**
 * The gradient of `conv2d` with respect to its input, as a convolution, on `wasm`.
 *
 * `dx[b, h, w, ci] = Σ_{kh, kw, co} dyz[b, h + top − kh, w + left − kw, co] · W[kh, kw, ci, co]`
 *
 * where `dyz` is `dy` `[B, OH, OW, Co]` with `sH − 1` zero rows and `sW − 1` zero columns inserted
 * after each row and column (`[B, OH·sH, OW·sW, Co]`). That is a stride-1 `conv2d` of `dyz` with the
 * spatially flipped, in/out-swapped filter `W'[kh, kw, co, ci] = W[KH−1−kh, KW−1−kw, ci, co]` and
 * padding `[KH − 1 − top, H + KH − 1 − OH·sH − (KH − 1 − top)]` (negative sides crop).
 *
 * @param args.inputs.dy - the gradient of the forward output, `[B, OH, OW, Co]` float32.
 * @param args.inputs.filter - the forward filter, `[KH, KW, Ci, Co]`.
 * @param args.attrs - tfjs `Conv2DBackpropInputAttrs`: `strides`, `pad`, `dataFormat` (only `'NHWC'`),
 *   `dimRoundingMode`, `inputShape` `[B, H, W, Ci]`.
 * @returns `dx`, `[B, H, W, Ci]` float32.
 * @throws BackendError for `dataFormat: 'NCHW'`.
 */
export function conv2DBackpropInputComposed(args: KernelArgs): TensorInfo {
  const dy = requireInput(KERNEL, args.inputs, 'dy');
  const filter = requireInput(KERNEL, args.inputs, 'filter');
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    args.attrs as unknown as Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new BackendError({
      op: KERNEL,
      argument: 'dataFormat',
      expected: "'NHWC' on wasm",
      actual: `'${dataFormat}'`,
    });
  }
  const info = backend_util.computeConv2DInfo(
    shape4(KERNEL, 'inputShape', inputShape),
    shape4(KERNEL, 'filter', filter.shape),
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const {
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padInfo,
  } = info;
  return composed(args.backend, KERNEL, (scope) => {
    if (outHeight <= 0 || outWidth <= 0 || info.batchSize === 0) return scope.zeros(info.inShape);
    const dyz = scope.zeroInsert(dy, strideHeight, strideWidth); // [B, OH·sH, OW·sW, Co]
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.transpose(flipped, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    const top = filterHeight - 1 - padInfo.top;
    const left = filterWidth - 1 - padInfo.left;
    return scope.convWithSignedPadding('Conv2D', dyz, swapped, {
      strides: [1, 1],
      dilations: [1, 1],
      padHeight: [top, inHeight + filterHeight - 1 - outHeight * strideHeight - top],
      padWidth: [left, inWidth + filterWidth - 1 - outWidth * strideWidth - left],
      outHeight: inHeight,
      outWidth: inWidth,
    }); // [B, H, W, Ci]
  });
}

/**
 * Whether the composed path runs these attributes. Measured on 2 cores (Node 20, tfjs 4.22, batch
 * 256, 32x32, 3x3, `tooling/bench` `wasm-kernels.bench.ts`), the composed kernel beat the stock one
 * at every size tried, 1->1 to 64->128 channels, strides 1 and 2 (3.5x to 12.7x), so it runs every
 * NHWC case; the stock kernel keeps `dataFormat: 'NCHW'`, which the wasm `Conv2D` cannot run.
 */
export function preferComposedConv2DBackpropInput(dataFormat: string | undefined): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC';
}

/**
 * Builds the `Conv2DBackpropInput` kernel config for `wasm` that runs
 * {@link conv2DBackpropInputComposed} for NHWC (where it is faster) and the `stock` kernel for NCHW.
 * The stock kernel's `setupFunc` is kept, so it stays usable when the backend initialises later.
 *
 * @param stock - the wasm backend's own kernel config, or `undefined` to always compose.
 */
export function createConv2DBackpropInputWasmConfig(stock: KernelConfig | undefined): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { dataFormat } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (stock === undefined || preferComposedConv2DBackpropInput(dataFormat)) {
      return conv2DBackpropInputComposed(args);
    }
    return stock.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
  };
  const config: KernelConfig = {
    kernelName: KERNEL,
    backendName: WASM_BACKEND_NAME,
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
  if (stock?.setupFunc !== undefined) config.setupFunc = stock.setupFunc;
  if (stock?.disposeFunc !== undefined) config.disposeFunc = stock.disposeFunc;
  return config;
}
