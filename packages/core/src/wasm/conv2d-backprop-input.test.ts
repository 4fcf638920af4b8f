import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropInputComposed, preferComposedConv2DBackpropInput } from './conv2d-backprop-input';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels';
import { expectClose, runOn, seeded } from './test-support';

type Pad = 'same' | 'valid' | backend_util.ExplicitPadding;
const PADS: Pad[] = [
  'same',
  'valid',
  [
    [0, 0],
    [1, 2],
    [2, 0],
    [0, 0],
  ],
];

const cases: {
  name: string;
  xShape: [number, number, number, number];
  k: number;
  s: number;
  pad: Pad;
  co: number;
}[] = [];
for (const s of [1, 2, 3]) {
  for (const k of [1, 3, 5]) {
    for (const pad of PADS) {
      cases.push({ name: `k${k} s${s} ${JSON.stringify(pad)}`, xShape: [2, 9, 7, 3], k, s, pad, co: 4 });
    }
  }
}
cases.push({
  name: 'k3 s2 same 32x32x8->16 batch 4',
  xShape: [4, 32, 32, 8],
  k: 3,
  s: 2,
  pad: 'same',
  co: 16,
});
cases.push({
  name: 'k3 s2 valid, 1 channel in and out',
  xShape: [3, 10, 6, 1],
  k: 3,
  s: 2,
  pad: 'valid',
  co: 1,
});

describe('Conv2DBackpropInput on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });

  it.each(cases)('composed and dispatched match cpu: $name', async ({ xShape, k, s, pad, co }) => {
    const filterShape: [number, number, number, number] = [k, k, xShape[3], co];
    const info = backend_util.computeConv2DInfo(xShape, filterShape, s, 1, pad);
    const inputs = {
      dy: {
        shape: info.outShape,
        values: seeded(
          info.outShape.reduce((a, b) => a * b),
          3 + s,
        ),
      },
      filter: {
        shape: filterShape,
        values: seeded(
          filterShape.reduce((a, b) => a * b),
          5 + k,
        ),
      },
    };
    const attrs = { strides: s, pad, dataFormat: 'NHWC', inputShape: xShape };
    const expected = await runOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
    const viaEngine = await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
    const composed = await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs, conv2DBackpropInputComposed);
    expectClose(viaEngine, expected);
    expectClose(composed, expected);
  });

  it('runs NHWC composed and leaves NCHW to the stock kernel', async () => {
    expect(preferComposedConv2DBackpropInput('NHWC')).toBe(true);
    expect(preferComposedConv2DBackpropInput(undefined)).toBe(true);
    expect(preferComposedConv2DBackpropInput('NCHW')).toBe(false);
    const inputs = {
      dy: { shape: [2, 4, 3, 5], values: seeded(120, 31) }, // NCHW [B, Co, OH, OW]
      filter: { shape: [3, 3, 3, 4], values: seeded(108, 37) },
    };
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 5, 9] };
    expectClose(
      await runOn('wasm', 'Conv2DBackpropInput', inputs, attrs),
      await runOn('cpu', 'Conv2DBackpropInput', inputs, attrs),
    );
  });
});
