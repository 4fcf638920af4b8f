/**
 * `DepthwiseConv2dNativeBackpropInput` for the `wasm` backend, composed from the wasm `PadV2`,
 * `Reverse`, `DepthwiseConv2dNative` and `Sum` kernels. tfjs-backend-wasm 4.22 has no such kernel.
 *
 * @packageDocumentation
 */

import {
  backend_util,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { composed, type KernelArgs, requireInput, shape4, WASM_BACKEND_NAME } from './kernel-scope';

const KERNEL = 'DepthwiseConv2dNativeBackpropInput';

/**
 * The gradient of `depthwiseConv2d` with respect to its input, on `wasm`.
 *
 * `dx[b, h, w, c] = Σ_{kh, kw, m} dyz[b, h + top − kh·dH, w + left − kw·dW, c·M + m] · W[kh, kw, c, m]`
 *
 * where `dyz` is `dy` `[B, OH, OW, C·M]` with zeros inserted for the strides (`[B, OH·sH, OW·sW, C·M]`).
 * That is a stride-1 depthwise convolution (dilation `[dH, dW]`) of `dyz` with the spatially flipped
 * filter reshaped to `[KH, KW, C·M, 1]`, padding `[(KH−1)·dH − top, …]` so the output is `[B, H, W, C·M]`,
 * followed, when the channel multiplier `M > 1`, by a sum over `m` (`[B, H, W, C, M]` to `[B, H, W, C]`).
 *
 * @param args.inputs.dy - the gradient of the forward output, `[B, OH, OW, C·M]` float32.
 * @param args.inputs.filter - the forward filter, `[KH, KW, C, M]`.
 * @param args.attrs - tfjs `DepthwiseConv2dNativeBackpropInputAttrs`: `strides`, `dilations`, `pad`,
 *   `dimRoundingMode`, `inputShape` `[B, H, W, C]`.
 * @returns `dx`, `[B, H, W, C]` float32.
 */
export function depthwiseConv2dNativeBackpropInputWasm(args: KernelArgs): TensorInfo {
  const dy = requireInput(KERNEL, args.inputs, 'dy');
  const filter = requireInput(KERNEL, args.inputs, 'filter');
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const filterShape = shape4(KERNEL, 'filter', filter.shape);
  const info = backend_util.computeConv2DInfo(
    shape4(KERNEL, 'inputShape', inputShape),
    filterShape,
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
  const [filterHeight, filterWidth, , multiplier] = filterShape;
  return composed(args.backend, KERNEL, (scope) => {
    if (outHeight <= 0 || outWidth <= 0 || batchSize === 0) return scope.zeros(info.inShape);
    const dyz = scope.zeroInsert(dy, strideHeight, strideWidth); // [B, OH·sH, OW·sW, C·M]
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const flat = scope.reshape(flipped, [filterHeight, filterWidth, inChannels * multiplier, 1]);
    const top = effectiveFilterHeight - 1 - padInfo.top;
    const left = effectiveFilterWidth - 1 - padInfo.left;
    const dxm = scope.convWithSignedPadding('DepthwiseConv2dNative', dyz, flat, {
      strides: [1, 1],
      dilations: [dilationHeight, dilationWidth],
      padHeight: [top, inHeight + effectiveFilterHeight - 1 - outHeight * strideHeight - top],
      padWidth: [left, inWidth + effectiveFilterWidth - 1 - outWidth * strideWidth - left],
      outHeight: inHeight,
      outWidth: inWidth,
    }); // [B, H, W, C·M]
    if (multiplier === 1) return dxm;
    const split = scope.reshape(dxm, [batchSize, inHeight, inWidth, inChannels, multiplier]);
    return scope.run('Sum', { x: split }, { axis: [4], keepDims: false }); // [B, H, W, C]
  });
}

/** Kernel config registering {@link depthwiseConv2dNativeBackpropInputWasm} on `wasm`. */
export const depthwiseConv2dNativeBackpropInputWasmConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM_BACKEND_NAME,
  kernelFunc: depthwiseConv2dNativeBackpropInputWasm as unknown as KernelFunc,
};
