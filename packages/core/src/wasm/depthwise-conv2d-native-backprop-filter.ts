/**
 * `DepthwiseConv2dNativeBackpropFilter` for the `wasm` backend, composed from the wasm `Transpose`,
 * `DepthwiseConv2dNative` and `Sum` kernels. tfjs-backend-wasm 4.22 has no such kernel.
 *
 * @packageDocumentation
 */

import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composed, type KernelArgs, requireInput, shape4, WASM_BACKEND_NAME } from './kernel-scope';

const KERNEL = 'DepthwiseConv2dNativeBackpropFilter';

/**
 * The gradient of `depthwiseConv2d` with respect to its filter, on `wasm`.
 *
 * `dW[kh, kw, c, m] = Σ_{b, oh, ow} x[b, oh·sH − top + kh·dH, ow·sW − left + kw·dW, c] · dy[b, oh, ow, c·M + m]`
 *
 * computed as one depthwise convolution with the batch folded into the channels: the input
 * transposed to `[1, H, W, B·C]`, `dy` transposed to `[OH, OW, B·C, M]` as the filter, stride
 * `[dH, dW]` (the forward dilations), dilation `[sH, sW]` (the forward strides), padding so the
 * output is `[1, KH, KW, B·C·M]`; then a sum over `b` (`[KH, KW, B, C·M]` to `[KH, KW, C·M]`).
 *
 * @param args.inputs.x - the forward input, `[B, H, W, C]` float32.
 * @param args.inputs.dy - the gradient of the forward output, `[B, OH, OW, C·M]`.
 * @param args.attrs - tfjs `DepthwiseConv2dNativeBackpropFilterAttrs`: `strides`, `dilations`, `pad`,
 *   `dimRoundingMode`, `filterShape` `[KH, KW, C, M]`.
 * @returns `dW`, `[KH, KW, C, M]` float32.
 */
export function depthwiseConv2dNativeBackpropFilterWasm(args: KernelArgs): TensorInfo {
  const x = requireInput(KERNEL, args.inputs, 'x');
  const dy = requireInput(KERNEL, args.inputs, 'dy');
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const fShape = shape4(KERNEL, 'filterShape', filterShape);
  const info = backend_util.computeConv2DInfo(
    shape4(KERNEL, 'x', x.shape),
    fShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
    'channelsLast',
  );
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    padInfo,
  } = info;
  const { effectiveFilterHeight, effectiveFilterWidth, dilationHeight, dilationWidth } = info;
  const [filterHeight, filterWidth, , multiplier] = fShape;
  const channels = inChannels * multiplier;
  return composed(args.backend, KERNEL, (scope) => {
    if (outHeight <= 0 || outWidth <= 0 || batchSize === 0) return scope.zeros(fShape);
    const xT = scope.transpose(x, [1, 2, 0, 3]); // [H, W, B, C]
    const x1 = scope.reshape(xT, [1, inHeight, inWidth, batchSize * inChannels]);
    const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, C·M]
    const f = scope.reshape(dyT, [outHeight, outWidth, batchSize * inChannels, multiplier]);
    const bottom = (outHeight - 1) * strideHeight + effectiveFilterHeight - inHeight - padInfo.top;
    const right = (outWidth - 1) * strideWidth + effectiveFilterWidth - inWidth - padInfo.left;
    const perBatch = scope.convWithSignedPadding('DepthwiseConv2dNative', x1, f, {
      strides: [dilationHeight, dilationWidth],
      dilations: [strideHeight, strideWidth],
      padHeight: [padInfo.top, bottom],
      padWidth: [padInfo.left, right],
      outHeight: filterHeight,
      outWidth: filterWidth,
    }); // [1, KH, KW, B·C·M]
    const split = scope.reshape(perBatch, [filterHeight, filterWidth, batchSize, channels]);
    const summed = scope.run('Sum', { x: split }, { axis: [2], keepDims: false }); // [KH, KW, C·M]
    return scope.reshape(summed, [filterHeight, filterWidth, inChannels, multiplier]);
  });
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropFilterWasm} on `wasm`. */
export const depthwiseConv2dNativeBackpropFilterWasmConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM_BACKEND_NAME,
  kernelFunc: depthwiseConv2dNativeBackpropFilterWasm as unknown as KernelFunc,
};
