import type { ViteUserConfig } from 'vitest/config';

/**
 * Backends a package's tests can run on in Node.
 *
 * Tolerances, by backend (STYLE.md "Tests"):
 * - `cpu`, `wasm`: float32; rtol 1e-4 / atol 1e-5 against a naive reference.
 * - `tensorflow` (tfjs-node: TensorFlow's own CPU kernels, oneDNN): float32 too, with the same default
 *   tolerances, but not bit-identical to cpu/wasm (other summation orders, fused kernels, `round(-0.5)`
 *   gives 0 where cpu gives -0). Long reductions and chained convolutions may need rtol 1e-3; compare
 *   across backends with tolerances, never bit for bit. Runs on the same backend stay bit-exact, so
 *   determinism tests (same key, same result; resume equals uninterrupted) stay exact on each backend.
 * - `webgpu`: 1e-3, no bit-exact equalities.
 */
export type TestBackend = 'cpu' | 'wasm' | 'tensorflow' | 'webgpu';

/** Options of {@link defineBackendMatrix}. */
export interface BackendMatrixOptions {
  /**
   * Backends to run every test file on. Default `['cpu', 'wasm']`, plus `tensorflow` when tfjs-node's
   * addon loads here (see {@link BackendMatrixOptions.tensorflow}). `GENOISE_TEST_BACKENDS=cpu,wasm`
   * overrides all of it.
   */
  readonly backends?: readonly TestBackend[];
  /**
   * Add a `tensorflow` project (tfjs-node) when its native addon loads (the root postinstall builds it
   * where it can; tooling/scripts/setup-tfjs-node.mjs). Default true; `false` opts a package out.
   */
  readonly tensorflow?: boolean;
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
