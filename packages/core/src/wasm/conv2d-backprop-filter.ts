/**
 * `Conv2DBackpropFilter` for the `wasm` backend, composed from the wasm `Transpose` and `Conv2D`
 * kernels. tfjs-backend-wasm 4.22 has no such kernel, so `conv2d` cannot be trained on wasm without it.
 *
 * @packageDocumentation
 */

import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../errors/errors';
import { composed, type KernelArgs, requireInput, shape4, WASM_BACKEND_NAME } from './kernel-scope';

const KERNEL = 'Conv2DBackpropFilter';

/**
 * The gradient of `conv2d` with respect to its filter, on `wasm`.
 *
 * `dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·sH − top + kh, ow·sW − left + kw, ci] · dy[b, oh, ow, co]`
 *
 * which is itself a convolution: the input transposed to `[Ci, H, W, B]` (batch `Ci`, channels `B`)
 * convolved with `dy` transposed to `[OH, OW, B, Co]` as the filter, with stride 1, dilation
 * `[sH, sW]` (the forward strides) and padding `[top, (OH−1)·sH + KH − H − top]` (cropped when
 * negative) so the output is exactly `[Ci, KH, KW, Co]`; then transposed to `[KH, KW, Ci, Co]`.
 *
 * @param args.inputs.x - the forward input, `[B, H, W, Ci]` float32.
 * @param args.inputs.dy - the gradient of the forward output, `[B, OH, OW, Co]`.
 * @param args.attrs - tfjs `Conv2DBackpropFilterAttrs`: `strides`, `pad` ('same' | 'valid' | number |
 *   explicit), `dataFormat` (only `'NHWC'`), `dimRoundingMode`, `filterShape` `[KH, KW, Ci, Co]`.
 * @returns `dW`, `[KH, KW, Ci, Co]` float32.
 * @throws BackendError for `dataFormat: 'NCHW'` (wasm convolutions are NHWC only).
 */
export function conv2DBackpropFilterWasm(args: KernelArgs): TensorInfo {
  const x = requireInput(KERNEL, args.inputs, 'x');
  const dy = requireInput(KERNEL, args.inputs, 'dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new BackendError({
      op: KERNEL,
      argument: 'dataFormat',
      expected: "'NHWC' on wasm",
      actual: `'${dataFormat}'`,
    });
  }
  const info = backend_util.computeConv2DInfo(
    shape4(KERNEL, 'x', x.shape),
    shape4(KERNEL, 'filterShape', filterShape),
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, padInfo } = info;
  return composed(args.backend, KERNEL, (scope) => {
    if (outHeight <= 0 || outWidth <= 0 || info.batchSize === 0) return scope.zeros(info.filterShape);
    const xT = scope.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, B]
    const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
    const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - padInfo.top;
    const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - padInfo.left;
    const grad = scope.convWithSignedPadding('Conv2D', xT, dyT, {
      strides: [1, 1],
      dilations: [strideHeight, strideWidth],
      padHeight: [padInfo.top, bottom],
      padWidth: [padInfo.left, right],
      outHeight: filterHeight,
      outWidth: filterWidth,
    }); // [Ci, KH, KW, Co]
    return scope.transpose(grad, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  });
}

/** Kernel config registering {@link conv2DBackpropFilterWasm} as `Conv2DBackpropFilter` on `wasm`. */
export const conv2DBackpropFilterWasmConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM_BACKEND_NAME,
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};
