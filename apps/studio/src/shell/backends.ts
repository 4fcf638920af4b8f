// Registers every browser backend the studio can run on. @genoise/core's initBackend picks among the
// registered ones (in browsers it does not import backend packages itself), so an app imports them.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendInfo, initBackend } from '@genoise/core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BrowserBackend } from '../lib/url-options';
import { type BackendChoice, chooseBackend } from './choose-backend';

// Vite copies the three binaries into the build with hashed names; the wasm backend fetches them from there.
// The threaded SIMD build is used when the page is cross-origin isolated (vite.config.ts serves COOP and
// COEP; SharedArrayBuffer exists only then); without isolation the backend loads the SIMD one, one thread.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
});

/** Starts the requested backend, or the best available one with a notice saying why not. */
export function startBackend(requested: BrowserBackend | 'auto'): Promise<BackendChoice> {
  return chooseBackend(
    requested,
    initBackend as (options?: { prefer: BrowserBackend }) => Promise<BackendInfo>,
  );
}
