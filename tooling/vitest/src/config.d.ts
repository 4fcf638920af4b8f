import type { ViteUserConfig } from 'vitest/config';

/** Backends a package's tests can run on in Node. */
export type TestBackend = 'cpu' | 'wasm' | 'webgpu';

/** Options of {@link defineBackendMatrix}. */
export interface BackendMatrixOptions {
  /**
   * Backends to run every test file on. Default `['cpu', 'wasm']`. `GENOISE_TEST_BACKENDS=cpu,wasm`
   * overrides it.
   */
  readonly backends?: readonly TestBackend[];
  /**
   * Opt in to a `webgpu` project (SwiftShader or a real GPU through Dawn) when `GENOISE_TEST_WEBGPU=1`.
   * A package opts in once its tests hold at WebGPU's tolerances (1e-3, no bit-exact equalities).
   */
  readonly webgpu?: boolean;
  /** Setup files run before each test file. Default `['./vitest.setup.ts']`, which calls `initBackend`. */
  readonly setupFiles?: readonly string[];
  /** Per-test timeout in ms. Default 60 000 (wasm start-up and cpu convolutions are slow here). */
  readonly testTimeout?: number;
}

/**
 * A vitest config that runs the same test files once per backend, as vitest projects named after the
 * backend. Each project sets `GENOISE_TEST_BACKEND`; the package's setup file passes it to `initBackend`.
 *
 * @example
 * ```ts
 * // packages/<name>/vitest.config.ts
 * import { defineBackendMatrix } from '@genoise/vitest/config';
 * export default defineBackendMatrix();
 * ```
 */
export declare function defineBackendMatrix(options?: BackendMatrixOptions): ViteUserConfig;
