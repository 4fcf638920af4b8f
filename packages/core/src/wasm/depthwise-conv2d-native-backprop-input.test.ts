import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { depthwiseConv2dNativeBackpropInputWasm } from './depthwise-conv2d-native-backprop-input';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels';
import { depthwiseCases, naiveDepthwiseBackprop } from './test-cases';
import { expectClose, runOn, seeded } from './test-support';

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });

  it.each(depthwiseCases())(
    'matches cpu (dilation 1) and a naive loop: $name',
    async ({ xShape, k, s, d, pad, m }) => {
      const filterShape: [number, number, number, number] = [k, k, xShape[3], m];
      const info = backend_util.computeConv2DInfo(xShape, filterShape, s, d, pad, undefined, true);
      const inputs = {
        dy: {
          shape: info.outShape,
          values: seeded(
            info.outShape.reduce((a, b) => a * b),
            13 + s,
          ),
        },
        filter: {
          shape: filterShape,
          values: seeded(
            filterShape.reduce((a, b) => a * b),
            17 + k,
          ),
        },
      };
      const attrs = { strides: s, dilations: d, pad, inputShape: xShape };
      const naive = naiveDepthwiseBackprop(
        xShape,
        filterShape,
        info,
        seeded(
          xShape.reduce((a, b) => a * b),
          1,
        ),
        inputs.filter.values,
        inputs.dy.values,
      );
      const expected = { values: naive.dx, shape: xShape };
      // The tfjs cpu kernel ignores dilations, so it is a reference only at dilation 1.
      if (d === 1)
        expectClose(await runOn('cpu', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs), expected);
      const viaEngine = await runOn('wasm', 'DepthwiseConv2dNativeBackpropInput', inputs, attrs);
      const direct = await runOn(
        'wasm',
        'DepthwiseConv2dNativeBackpropInput',
        inputs,
        attrs,
        depthwiseConv2dNativeBackpropInputWasm,
      );
      expectClose(viaEngine, expected);
      expectClose(direct, expected);
    },
  );
});
