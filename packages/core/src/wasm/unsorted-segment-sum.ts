/**
 * `UnsortedSegmentSum` for the `wasm` backend (the gradient of `gather`), composed from the wasm
 * `ScatterNd` kernel, which adds updates that land on the same index.
 *
 * @packageDocumentation
 */

import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { ArgumentError, DTypeError, ShapeError } from '../errors/errors';
import { composed, type KernelArgs, requireInput, WASM_BACKEND_NAME } from './kernel-scope';

const KERNEL = 'UnsortedSegmentSum';

/**
 * Sums the slices of `x` that share a segment id, on `wasm`.
 *
 * `out[s, ...] = Σ_{i : segmentIds[i] = s} x[i, ...]` for `s` in `[0, numSegments)`; ids outside that
 * range are dropped (as TensorFlow does). Runs as `ScatterNd(indices = segmentIds as [N, 1],
 * updates = x as [N, ...rest], shape = [numSegments, ...rest])`; out-of-range ids are sent to an extra
 * segment that is sliced off.
 *
 * @param args.inputs.x - `[...idsShape, ...rest]`, float32 or int32.
 * @param args.inputs.segmentIds - int32, shape a prefix of `x.shape` (`[N]` for the `gather` gradient).
 * @param args.attrs.numSegments - the number of output segments, a non-negative integer.
 * @returns `[numSegments, ...rest]`, dtype of `x`.
 * @throws DTypeError when `segmentIds` is not int32; ShapeError when its shape is not a prefix of `x`'s;
 *   ArgumentError when `numSegments` is not a non-negative integer.
 */
export function unsortedSegmentSumWasm(args: KernelArgs): TensorInfo {
  const x = requireInput(KERNEL, args.inputs, 'x');
  const segmentIds = requireInput(KERNEL, args.inputs, 'segmentIds');
  const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
  if (segmentIds.dtype !== 'int32') {
    throw new DTypeError({ op: KERNEL, argument: 'segmentIds', expected: 'int32', actual: segmentIds.dtype });
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new ArgumentError({
      op: KERNEL,
      argument: 'numSegments',
      expected: 'a non-negative integer',
      actual: `${numSegments}`,
    });
  }
  const idsRank = segmentIds.shape.length;
  if (idsRank > x.shape.length || segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError({
      op: KERNEL,
      argument: 'segmentIds',
      expected: `a prefix of x's shape [${x.shape.join(',')}]`,
      actual: `[${segmentIds.shape.join(',')}]`,
    });
  }
  const backend = args.backend as KernelBackend;
  const rest = x.shape.slice(idsRank);
  const count = util.sizeFromShape(segmentIds.shape);
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  let outOfRange = false;
  for (let i = 0; i < count; i++) {
    const id = ids[i] ?? 0;
    if (id < 0 || id >= numSegments) {
      outOfRange = true;
      break;
    }
  }
  return composed(backend, KERNEL, (scope) => {
    const updates = scope.reshape(x, [count, ...rest]);
    if (!outOfRange) {
      const indices = scope.reshape(segmentIds, [count, 1]);
      return scope.run('ScatterNd', { indices, updates }, { shape: [numSegments, ...rest] });
    }
    const safe = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const id = ids[i] ?? 0;
      safe[i] = id >= 0 && id < numSegments ? id : numSegments;
    }
    const indices: TensorInfo = {
      dataId: backend.write(safe, [count, 1], 'int32'),
      shape: [count, 1],
      dtype: 'int32',
    };
    scope.track(indices);
    const withDropped = scope.run('ScatterNd', { indices, updates }, { shape: [numSegments + 1, ...rest] });
    return scope.slice(withDropped, new Array<number>(rest.length + 1).fill(0), [numSegments, ...rest]);
  });
}

/** Kernel config registering {@link unsortedSegmentSumWasm} as `UnsortedSegmentSum` on `wasm`. */
export const unsortedSegmentSumWasmConfig: KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM_BACKEND_NAME,
  kernelFunc: unsortedSegmentSumWasm as unknown as KernelFunc,
};
