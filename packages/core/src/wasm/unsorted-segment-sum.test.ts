import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors/errors';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels';
import { expectClose, runOn, seeded } from './test-support';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum';

function ids(values: number[]): { shape: number[]; values: Int32Array; dtype: 'int32' } {
  return { shape: [values.length], values: Int32Array.from(values), dtype: 'int32' };
}

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(() => {
    registerWasmTrainingKernels();
  });

  const cases = [
    { name: 'duplicates, rank 3', xShape: [6, 4, 3], segmentIds: [2, 0, 2, 2, 4, 0], numSegments: 5 },
    { name: 'rank 1', xShape: [5], segmentIds: [1, 1, 0, 1, 3], numSegments: 4 },
    { name: 'out-of-range ids are dropped', xShape: [5, 2], segmentIds: [1, -1, 0, 7, 1], numSegments: 3 },
    {
      name: 'gather-gradient size',
      xShape: [512, 64],
      segmentIds: Array.from({ length: 512 }, (_, i) => (i * 37) % 100),
      numSegments: 100,
    },
  ];

  it.each(cases)('matches cpu: $name', async ({ xShape, segmentIds, numSegments }) => {
    const inputs = {
      x: {
        shape: xShape,
        values: seeded(
          xShape.reduce((a, b) => a * b),
          29,
        ),
      },
      segmentIds: ids(segmentIds),
    };
    const attrs = { numSegments };
    const expected = await runOn('cpu', 'UnsortedSegmentSum', inputs, attrs);
    expectClose(await runOn('wasm', 'UnsortedSegmentSum', inputs, attrs), expected);
    expectClose(await runOn('wasm', 'UnsortedSegmentSum', inputs, attrs, unsortedSegmentSumWasm), expected);
  });

  it('rejects float segment ids and mismatched shapes with typed errors', async () => {
    const x = { shape: [3, 2], values: seeded(6, 1) };
    await expect(
      runOn(
        'wasm',
        'UnsortedSegmentSum',
        { x, segmentIds: { shape: [3], values: new Float32Array(3) } },
        { numSegments: 2 },
        unsortedSegmentSumWasm,
      ),
    ).rejects.toSatisfy((e) => DTypeError.isInstance(e));
    await expect(
      runOn(
        'wasm',
        'UnsortedSegmentSum',
        { x, segmentIds: ids([0, 1]) },
        { numSegments: 2 },
        unsortedSegmentSumWasm,
      ),
    ).rejects.toSatisfy((e) => ShapeError.isInstance(e));
  });
});
