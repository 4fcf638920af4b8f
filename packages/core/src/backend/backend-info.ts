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
