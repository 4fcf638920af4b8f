/**
 * Internal helpers for kernels composed from other `wasm` kernels: call a registered kernel by name
 * at the backend level (no engine, no tape), track the intermediates and free them.
 *
 * Not part of the public API.
 *
 * @packageDocumentation
 */

import {
  type backend_util,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BackendError } from '../errors/errors';

/** The backend name the composed kernels register under. */
export const WASM_BACKEND_NAME = 'wasm';

/** `[top, bottom]` or `[left, right]` padding, either side possibly negative (negative crops). */
export type SignedPad = readonly [number, number];

/**
 * The arguments a tfjs kernel function receives. tfjs types `backend` as `{}`; the composed kernels
 * only use the `KernelBackend` surface (`disposeData`, `write`, `readSync`).
 */
export interface KernelArgs {
  readonly inputs: NamedTensorInfoMap;
  readonly backend: object;
  readonly attrs?: NamedAttrMap;
}

/** Looks up the `wasm` kernel `kernelName`, or `undefined` when the wasm backend does not have it. */
export function findWasmKernel(kernelName: string): KernelConfig | undefined {
  return getKernel(kernelName, WASM_BACKEND_NAME) as KernelConfig | undefined;
}

/** Returns input `name` of a kernel call, or throws a `BackendError` naming the kernel. */
export function requireInput(op: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const input = inputs[name];
  if (input === undefined) {
    throw new BackendError({ op, argument: name, expected: 'a tensor input', actual: 'missing' });
  }
  return input;
}

/** Normalises `n | [h, w]` to `[h, w]`. */
export function pair(value: number | readonly [number, number] | readonly number[]): [number, number] {
  if (typeof value === 'number') return [value, value];
  const [h, w] = value;
  if (h === undefined || w === undefined) {
    throw new BackendError({ op: 'pair', expected: 'a number or [h, w]', actual: `[${value.join(',')}]` });
  }
  return [h, w];
}

/** Reads a 4-D shape, or throws a `BackendError` that names the kernel and the argument. */
export function shape4(
  op: string,
  argument: string,
  shape: readonly number[],
): [number, number, number, number] {
  const [a, b, c, d] = shape;
  if (shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new BackendError({ op, argument, expected: 'rank 4', actual: `[${shape.join(',')}]` });
  }
  return [a, b, c, d];
}

/**
 * Runs `wasm` kernels at the backend level, remembers every output, and frees all of them except
 * the one handed to {@link KernelScope.keep} when {@link KernelScope.dispose} is called (in a
 * `finally`, so an exception frees them too). Reshape outputs share their input's data with a
 * reference count, so each output is freed exactly once by identity, never by data id.
 */
export class KernelScope {
  private readonly tracked: TensorInfo[] = [];
  private kept: TensorInfo | undefined;

  constructor(
    readonly backend: KernelBackend,
    readonly op: string,
  ) {}

  /** Calls the `wasm` kernel `kernelName` with `inputs` and `attrs` and tracks its output. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = findWasmKernel(kernelName);
    if (config === undefined) {
      throw new BackendError({
        op: this.op,
        expected: `the wasm kernel '${kernelName}' to be registered (import '@tensorflow/tfjs-backend-wasm')`,
        actual: 'not registered',
      });
    }
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) {
      for (const t of out) this.tracked.push(t);
      throw new BackendError({
        op: this.op,
        expected: `one output from '${kernelName}'`,
        actual: `${out.length}`,
      });
    }
    this.tracked.push(out);
    return out;
  }

  /** `x` with a new shape (no copy; shares data). */
  reshape(x: TensorInfo, shape: readonly number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape: [...shape] });
  }

  /** Axis permutation of `x` (a copy). */
  transpose(x: TensorInfo, perm: readonly number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm: [...perm] });
  }

  /** `x[begin : begin + size]` (a copy). */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): TensorInfo {
    return this.run('Slice', { x }, { begin: [...begin], size: [...size] });
  }

  /**
   * Zero insertion between rows and columns: `[B, H, W, C]` to `[B, H·sH, W·sW, C]` with
   * `out[b, i·sH, j·sW, c] = x[b, i, j, c]` and zeros elsewhere (the last `sH − 1` rows and `sW − 1`
   * columns are zeros too). Returns `x` itself when both factors are 1.
   */
  zeroInsert(x: TensorInfo, strideHeight: number, strideWidth: number): TensorInfo {
    if (strideHeight === 1 && strideWidth === 1) return x;
    const [b, h, w, c] = shape4(this.op, 'dy', x.shape);
    const x6 = this.reshape(x, [b, h, 1, w, 1, c]);
    const padded = this.run(
      'PadV2',
      { x: x6 },
      {
        paddings: [
          [0, 0],
          [0, 0],
          [0, strideHeight - 1],
          [0, 0],
          [0, strideWidth - 1],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    return this.reshape(padded, [b, h * strideHeight, w * strideWidth, c]);
  }

  /**
   * A `Conv2D` or `DepthwiseConv2dNative` whose explicit padding may be negative on any side
   * (negative padding crops). Runs the kernel with the padding clamped at zero, then slices the
   * rows and columns that the signed padding selects.
   *
   * Valid when the stride is 1 along an axis whose leading pad is negative (a trailing negative pad
   * is always fine): for stride 1, `out[h] = out'[h + max(0, −top)]`.
   *
   * @param outHeight - the height the signed padding gives, `(H + top + bottom − KHeff) / s + 1`.
   */
  convWithSignedPadding(
    kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
    x: TensorInfo,
    filter: TensorInfo,
    options: {
      readonly strides: readonly [number, number];
      readonly dilations: readonly [number, number];
      readonly padHeight: SignedPad;
      readonly padWidth: SignedPad;
      readonly outHeight: number;
      readonly outWidth: number;
    },
  ): TensorInfo {
    const { strides, dilations, padHeight, padWidth, outHeight, outWidth } = options;
    if ((padHeight[0] < 0 && strides[0] !== 1) || (padWidth[0] < 0 && strides[1] !== 1)) {
      throw new BackendError({
        op: this.op,
        expected: 'stride 1 along an axis with negative leading padding',
        actual: `strides [${strides.join(',')}], padding [${padHeight.join(',')}], [${padWidth.join(',')}]`,
      });
    }
    const top = Math.max(0, padHeight[0]);
    const bottom = Math.max(0, padHeight[1]);
    const left = Math.max(0, padWidth[0]);
    const right = Math.max(0, padWidth[1]);
    const pad: backend_util.ExplicitPadding = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    const attrs: NamedAttrMap = {
      strides: [...strides],
      dilations: [...dilations],
      pad,
      dataFormat: 'NHWC',
    };
    const out = this.run(kernelName, { x, filter }, attrs);
    const [b, h, w, c] = shape4(this.op, 'conv output', out.shape);
    const offsetH = top - padHeight[0];
    const offsetW = left - padWidth[0];
    if (offsetH === 0 && offsetW === 0 && h === outHeight && w === outWidth) return out;
    return this.slice(out, [0, offsetH, offsetW, 0], [b, outHeight, outWidth, c]);
  }

  /** A float32 tensor of zeros (the result of a backprop whose `dy` is empty). */
  zeros(shape: readonly number[]): TensorInfo {
    return this.run('Fill', {}, { shape: [...shape], value: 0, dtype: 'float32' });
  }

  /** Tracks a tensor the caller allocated itself (e.g. with `backend.write`), so it is freed too. */
  track(t: TensorInfo): TensorInfo {
    this.tracked.push(t);
    return t;
  }

  /** Marks `out` as the kernel's result: {@link KernelScope.dispose} will not free it. */
  keep(out: TensorInfo): TensorInfo {
    this.kept = out;
    return out;
  }

  /** Frees every tracked output except the kept one. Call in `finally`. */
  dispose(): void {
    for (const t of this.tracked) {
      if (t !== this.kept) this.backend.disposeData(t.dataId);
    }
    this.tracked.length = 0;
  }
}

/**
 * Runs `body` in a {@link KernelScope} and returns its result, freeing every intermediate even when
 * `body` throws.
 */
export function composed(backend: object, op: string, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend as KernelBackend, op);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
