/** Backends genoise knows how to pick. `tensorflow` is tfjs-node(-gpu), the native TensorFlow binding. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** All backend names, in no particular order. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** Where the code runs. */
export type Platform = 'node' | 'browser' | 'worker';

/** One backend that was tried and why it was not used. */
export interface BackendAttempt {
  readonly name: BackendName;
  readonly error: string;
}

/** What {@link backendInfo} reports about the active backend. */
export interface BackendInfo {
  /** The active backend. */
  readonly name: BackendName;
  readonly platform: Platform;
  /** Why this backend was chosen, in one sentence. */
  readonly reason: string;
  /** Bits of float precision the backend computes with (32, or 16 on some WebGL devices). */
  readonly floatPrecision: 16 | 32;
  /** wasm only: whether the SIMD binary runs; `undefined` on other backends. */
  readonly simd: boolean | undefined;
  /** wasm only: worker threads in use (1 in Node); `undefined` on other backends. */
  readonly threads: number | undefined;
  /** webgpu only: the adapter's description, and whether it is a software rasteriser. */
  readonly adapter: { readonly description: string; readonly isSoftware: boolean } | undefined;
  /** Backends tried before this one in the same `initBackend` call, with why each failed. */
  readonly tried: readonly BackendAttempt[];
  /** tensorflow only: the TensorFlow library behind tfjs-node; absent on other backends. */
  readonly tensorflow?: TensorFlowInfo;
}

/** The TensorFlow library behind the `tensorflow` backend (tfjs-node or tfjs-node-gpu). */
export interface TensorFlowInfo {
  /** TensorFlow's own version (`TF_Version()`), e.g. `'2.21.0'`. */
  readonly version: string;
  /** The npm package that loaded it, `'@tensorflow/tfjs-node'` or `'@tensorflow/tfjs-node-gpu'`. */
  readonly package: string;
  /** Whether TensorFlow runs its kernels on a GPU (CUDA). */
  readonly gpu: boolean;
  /** Work-arounds genoise registered for this version, e.g. `['int32 Round -> Identity']`. */
  readonly fixes: readonly string[];
}

/** The platform this code runs on: Node (checked first: a Node process may define `window`), a worker, or a browser. */
export function detectPlatform(): Platform {
  const g = globalThis as {
    process?: { versions?: { node?: string } };
    WorkerGlobalScope?: unknown;
    importScripts?: unknown;
  };
  if (g.process?.versions?.node !== undefined) return 'node';
  if (typeof g.WorkerGlobalScope !== 'undefined' && typeof g.importScripts === 'function') return 'worker';
  return 'browser';
}

/** The automatic order on a platform (DESIGN.md): Node tensorflow, webgpu, wasm, cpu; browser webgpu, webgl, wasm, cpu. */
export function defaultBackendOrder(platform: Platform): readonly BackendName[] {
  return platform === 'node' ? ['tensorflow', 'webgpu', 'wasm', 'cpu'] : ['webgpu', 'webgl', 'wasm', 'cpu'];
}

/**
 * One short line about the active backend, for a CLI or a page; the long {@link BackendInfo.reason}
 * is for verbose output and reports.
 *
 * @param info - What {@link initBackend} or {@link backendInfo} returned.
 * @returns E.g. `'backend: tensorflow (TensorFlow 2.21.0, native)'`, `'backend: wasm (SIMD, 1 thread)'`,
 *   `'backend: webgpu (NVIDIA H100)'`, `'backend: cpu (plain JavaScript, slow)'`.
 * @example
 * ```ts
 * const info = await initBackend();
 * console.log(describeBackend(info)); // backend: tensorflow (TensorFlow 2.21.0, native)
 * if (verbose) console.log(info.reason);
 * ```
 */
export function describeBackend(info: BackendInfo): string {
  const details: string[] = [];
  switch (info.name) {
    case 'tensorflow':
      if (info.tensorflow !== undefined) {
        details.push(`TensorFlow ${info.tensorflow.version}`, info.tensorflow.gpu ? 'CUDA' : 'native');
      } else details.push('native');
      break;
    case 'wasm':
      details.push(info.simd === true ? 'SIMD' : 'no SIMD');
      if (info.threads !== undefined) details.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
      break;
    case 'webgpu':
    case 'webgl':
      if (info.adapter !== undefined)
        details.push(`${info.adapter.description}${info.adapter.isSoftware ? ', software' : ''}`);
      break;
    case 'cpu':
      details.push('plain JavaScript, slow');
      break;
  }
  if (info.floatPrecision === 16) details.push('float16');
  return `backend: ${info.name}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}
