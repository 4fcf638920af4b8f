import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { depthwiseConv2dNativeBackpropFilterWasm } from './depthwise-conv2d-native-backprop-filter';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels';
import { depthwiseCases, naiveDepthwiseBackprop } from './test-cases';
import { expectClose, runOn, seeded } from './test-support';

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });

  it.each(depthwiseCases())(
    'matches cpu (dilation 1) and a naive loop: $name',
    async ({ xShape, k, s, d, pad, m }) => {
      const filterShape: [number, number, number, number] = [k, k, xShape[3], m];
      const info = backend_util.computeConv2DInfo(xShape, filterShape, s, d, pad, undefined, true);
      const inputs = {
        x: {
          shape: xShape,
          values: seeded(
            xShape.reduce((a, b) => a * b),
            19 + k,
          ),
        },
        dy: {
          shape: info.outShape,
          values: seeded(
            info.outShape.reduce((a, b) => a * b),
            23 + s,
          ),
        },
      };
      const attrs = { strides: s, dilations: d, pad, filterShape };
      const naive = naiveDepthwiseBackprop(
        xShape,
        filterShape,
        info,
        inputs.x.values,
        seeded(
          filterShape.reduce((a, b) => a * b),
          1,
        ),
        inputs.dy.values,
      );
      const expected = { values: naive.dw, shape: filterShape };
      // The tfjs cpu kernel ignores dilations, so it is a reference only at dilation 1.
      if (d === 1)
        expectClose(await runOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs), expected);
      const viaEngine = await runOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
      const direct = await runOn(
        'wasm',
        'DepthwiseConv2dNativeBackpropFilter',
        inputs,
        attrs,
        depthwiseConv2dNativeBackpropFilterWasm,
      );
      expectClose(viaEngine, expected);
      expectClose(direct, expected);
    },
  );
});
