import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { backend_util } from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { conv2DBackpropFilterWasm } from './conv2d-backprop-filter';
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
cases.push({ name: 'k3x3 s[2,1] valid, 1 channel', xShape: [3, 10, 6, 1], k: 3, s: 2, pad: 'valid', co: 1 });

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });

  it.each(cases)('matches cpu: $name', async ({ xShape, k, s, pad, co }) => {
    const filterShape: [number, number, number, number] = [k, k, xShape[3], co];
    const info = backend_util.computeConv2DInfo(xShape, filterShape, s, 1, pad);
    const inputs = {
      x: {
        shape: xShape,
        values: seeded(
          xShape.reduce((a, b) => a * b),
          7 + k,
        ),
      },
      dy: {
        shape: info.outShape,
        values: seeded(
          info.outShape.reduce((a, b) => a * b),
          11 + s,
        ),
      },
    };
    const attrs = { strides: s, pad, dataFormat: 'NHWC', filterShape };
    const expected = await runOn('cpu', 'Conv2DBackpropFilter', inputs, attrs);
    const viaEngine = await runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs);
    const direct = await runOn('wasm', 'Conv2DBackpropFilter', inputs, attrs, conv2DBackpropFilterWasm);
    expectClose(viaEngine, expected);
    expectClose(direct, expected);
  });
});
