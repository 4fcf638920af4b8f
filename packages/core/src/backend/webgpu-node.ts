/**
 * WebGPU for tfjs in Node, through the `webgpu` npm package (Dawn's `dawn.node`), with no
 * tfjs-node-gpu.
 *
 * Dawn has two backends that matter on Linux servers:
 * - **Vulkan** (Dawn's default, WebGPU "core" feature level). Needs the Vulkan loader
 *   (`libvulkan.so.1`, Debian `libvulkan1`) and a Vulkan driver (ICD).
 * - **OpenGL ES over EGL** (`create(['backend=opengles'])`), which only offers the "compatibility"
 *   feature level, so the adapter must be requested with `featureLevel: 'compatibility'`. Dawn
 *   dlopens the *unversioned* `libEGL.so` (Debian `libegl-dev`, which adds the symlink to glvnd's
 *   `libEGL.so.1` from `libegl1`), and without a display server EGL needs `EGL_PLATFORM=surfaceless`.
 *   This is the path that works on GPU servers with no working Vulkan driver.
 *
 * tfjs-backend-webgpu registers its `'webgpu'` backend at import time only if `navigator.gpu` exists,
 * and it calls `navigator.gpu.requestAdapter({ powerPreference })` itself, without a feature level.
 * So {@link installNodeWebGPU} puts on `navigator.gpu` a small wrapper around the chosen Dawn instance
 * that adds the feature level the chosen backend needs, and it must run before
 * `@tensorflow/tfjs-backend-webgpu` is imported.
 *
 * Dawn instance lifetime, measured with `webgpu@0.6.2` on Node 20.20 (Debian 12, SwiftShader from
 * Debian `chromium`, Mesa 22.3 llvmpipe):
 * - A Vulkan instance and an OpenGL ES instance can live in one process, in either order; each
 *   `create()` is an independent Dawn instance, and `'auto'` probes both. The instance that is not
 *   chosen is dropped and left to the garbage collector.
 * - The process exits by itself, with code 0 and no crash, after training on either backend, while
 *   `navigator.gpu` still holds the Dawn instance and tfjs still holds its device. The `webgpu`
 *   README warns that older `dawn.node` builds keep the event loop alive while a reference to the
 *   instance exists (crbug.com/387965810); {@link uninstallNodeWebGPU} drops every reference this
 *   module holds, for those versions or for long-running hosts.
 * - A Dawn with no usable driver does not throw: `requestAdapter` resolves to `null` and Dawn prints
 *   warnings on stderr (e.g. "Couldn't load Vulkan", "Failed to load libEGL.so").
 *
 * @packageDocumentation
 */

import { findBackendFactory, getBackend, ready, setBackend } from '@tensorflow/tfjs-core';
import { ArgumentError, BackendError } from '../errors/errors';
import { isSoftwareAdapter } from './software-adapter';

export { isSoftwareAdapter };

/** A Dawn backend that {@link installNodeWebGPU} can use. */
export type DawnBackend = 'vulkan' | 'opengles';

/** Options of {@link installNodeWebGPU} and {@link registerNodeWebGPUBackend}. */
export interface NodeWebGPUOptions {
  /**
   * Which Dawn backend to use. `'auto'` (the default) tries Vulkan, then OpenGL ES, and takes the
   * first hardware adapter; if both are software, the first one found (only with `allowSoftware`).
   */
  readonly backend?: 'auto' | DawnBackend;
  /**
   * Accept a software adapter (SwiftShader, llvmpipe, lavapipe, a fallback adapter). Default
   * `false`: software WebGPU emulates the GPU on the CPU and is slower than the `wasm` backend, so it
   * is only useful to test WebGPU code paths.
   */
  readonly allowSoftware?: boolean;
}

/** The identifying strings of a WebGPU adapter, as `GPUAdapter.info` reports them. */
export interface NodeWebGPUAdapterInfo {
  /** E.g. `'google'`, `'nvidia'`; empty when the driver does not say (often on OpenGL ES). */
  readonly vendor: string;
  /** E.g. `'swiftshader'`, `'hopper'`; often empty. */
  readonly architecture: string;
  /** E.g. `'swiftshader-device-subzero-'`, `'llvmpipe-llvm-15-0-6-256-bits-'`. */
  readonly device: string;
  /** E.g. `'SwiftShader driver 5.0.0'`, `'OpenGL version OpenGL ES 3.2 Mesa 22.3.6'`. */
  readonly description: string;
}

/** What {@link installNodeWebGPU} set up, and why. */
export interface NodeWebGPUInfo {
  /** The Dawn backend behind `navigator.gpu`. */
  readonly dawnBackend: DawnBackend;
  /** The adapter Dawn found on it. */
  readonly adapter: NodeWebGPUAdapterInfo;
  /** True for a software adapter (see {@link isSoftwareAdapter}). */
  readonly isSoftware: boolean;
  /** One sentence on what was tried and why this backend was chosen, for the CLI to print. */
  readonly reason: string;
}

/** The subset of the `webgpu` package used here (its own types pull in `@webgpu/types`). */
interface DawnAdapter {
  readonly info: NodeWebGPUAdapterInfo & { readonly isFallbackAdapter?: boolean };
}
interface DawnGPU {
  requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null>;
  getPreferredCanvasFormat(): string;
}
interface WebGPUModule {
  create(flags: string[]): DawnGPU;
  globals: Record<string, unknown>;
}

interface Attempt {
  readonly dawnBackend: DawnBackend;
  readonly gpu: DawnGPU | undefined;
  readonly featureLevel: 'core' | 'compatibility';
  readonly adapter: NodeWebGPUAdapterInfo | undefined;
  readonly isSoftware: boolean;
  readonly error: string | undefined;
}

interface InstalledState {
  readonly info: NodeWebGPUInfo;
  readonly gpu: DawnGPU;
  readonly navigatorGpu: unknown;
  readonly definedNavigator: boolean;
  readonly definedWindow: boolean;
  readonly definedGlobals: readonly string[];
  readonly setEglPlatform: boolean;
}

interface ModuleState {
  pending: Promise<InstalledState> | undefined;
}

// Shared through a global symbol so that two installed copies of @genoise/core agree: navigator.gpu
// is global anyway.
const STATE_KEY = Symbol.for('genoise.webgpuNode');
function moduleState(): ModuleState {
  const g = globalThis as unknown as Record<symbol, ModuleState | undefined>;
  let s = g[STATE_KEY];
  if (s === undefined) {
    s = { pending: undefined };
    g[STATE_KEY] = s;
  }
  return s;
}

function describeAdapter(a: NodeWebGPUAdapterInfo): string {
  const words = [a.vendor, a.architecture, a.device].filter((s) => s !== '').join(' ');
  return a.description !== '' ? `${words} (${a.description})`.trim() : words || 'unnamed adapter';
}

function describeAttempt(a: Attempt): string {
  if (a.adapter !== undefined) {
    return `${a.dawnBackend}: ${a.isSoftware ? 'software' : 'hardware'} adapter ${describeAdapter(a.adapter)}`;
  }
  return `${a.dawnBackend}: ${a.error ?? 'no adapter'}`;
}

const DRIVER_HINTS: Record<DawnBackend, string> = {
  vulkan:
    'Vulkan needs the loader libvulkan.so.1 (Debian libvulkan1) and a Vulkan driver (VK_ICD_FILENAMES selects one)',
  opengles:
    'OpenGL ES needs a loadable libEGL.so (Debian libegl-dev, over libegl1 and a GL driver) and, without a display, EGL_PLATFORM=surfaceless',
};

async function loadWebGPU(): Promise<WebGPUModule> {
  try {
    const mod = (await import('webgpu')) as unknown as Partial<WebGPUModule>;
    // For initBackend: libtensorflow (tfjs-node) crashes when loaded after Dawn in the same process.
    (globalThis as unknown as Record<symbol, boolean>)[Symbol.for('genoise.dawnLoaded')] = true;
    if (typeof mod.create !== 'function' || typeof mod.globals !== 'object' || mod.globals === null) {
      throw new Error("the module has no 'create' function and 'globals' object");
    }
    return mod as WebGPUModule;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      expected: "the optional peer package 'webgpu' (npm install webgpu)",
      actual: 'not loadable',
      message:
        "initBackend: 'prefer' asks for WebGPU in Node, which needs the optional peer package 'webgpu' " +
        `(Dawn): npm install webgpu. Loading it failed: ${why}`,
      cause,
    });
  }
}

async function attempt(mod: WebGPUModule, dawnBackend: DawnBackend): Promise<Attempt> {
  const featureLevel = dawnBackend === 'opengles' ? 'compatibility' : 'core';
  let gpu: DawnGPU;
  try {
    gpu = mod.create([`backend=${dawnBackend}`]);
  } catch (cause) {
    const error = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return { dawnBackend, gpu: undefined, featureLevel, adapter: undefined, isSoftware: false, error };
  }
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel });
    if (adapter === null) {
      return { dawnBackend, gpu, featureLevel, adapter: undefined, isSoftware: false, error: 'no adapter' };
    }
    const i = adapter.info;
    const info: NodeWebGPUAdapterInfo = {
      vendor: i.vendor ?? '',
      architecture: i.architecture ?? '',
      device: i.device ?? '',
      description: i.description ?? '',
    };
    const isSoftware = isSoftwareAdapter({
      ...info,
      ...(i.isFallbackAdapter === true ? { isFallbackAdapter: true } : {}),
    });
    return { dawnBackend, gpu, featureLevel, adapter: info, isSoftware, error: undefined };
  } catch (cause) {
    const error = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return { dawnBackend, gpu, featureLevel, adapter: undefined, isSoftware: false, error };
  }
}

function defineGlobal(key: string, value: unknown): void {
  Object.defineProperty(globalThis, key, { value, writable: true, configurable: true, enumerable: false });
}

function checkOptions(options: NodeWebGPUOptions): void {
  const backend: unknown = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'vulkan' && backend !== 'opengles') {
    throw new ArgumentError({
      op: 'installNodeWebGPU',
      argument: 'options.backend',
      expected: "'auto', 'vulkan' or 'opengles'",
      actual: JSON.stringify(backend),
    });
  }
  const allowSoftware: unknown = options.allowSoftware ?? false;
  if (typeof allowSoftware !== 'boolean') {
    throw new ArgumentError({
      op: 'installNodeWebGPU',
      argument: 'options.allowSoftware',
      expected: 'a boolean',
      actual: JSON.stringify(allowSoftware),
    });
  }
}

async function install(options: NodeWebGPUOptions): Promise<InstalledState> {
  const backend = options.backend ?? 'auto';
  const allowSoftware = options.allowSoftware ?? false;
  const g = globalThis as unknown as { navigator?: { gpu?: unknown }; window?: unknown };
  if (g.navigator?.gpu !== undefined) {
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      message:
        "initBackend: 'prefer' asks for WebGPU through the 'webgpu' package, but navigator.gpu is already " +
        'defined by something else; use it directly with tf.setBackend("webgpu") instead.',
    });
  }

  const mod = await loadWebGPU();
  const order: readonly DawnBackend[] = backend === 'auto' ? ['vulkan', 'opengles'] : [backend];
  const attempts: Attempt[] = [];
  let setEglPlatform = false;
  for (const dawnBackend of order) {
    if (dawnBackend === 'opengles' && process.env.EGL_PLATFORM === undefined) {
      process.env.EGL_PLATFORM = 'surfaceless';
      setEglPlatform = true;
    }
    const a = await attempt(mod, dawnBackend);
    attempts.push(a);
    if (a.adapter !== undefined && !a.isSoftware) break; // a GPU: look no further
  }
  const chosen =
    attempts.find((a) => a.adapter !== undefined && !a.isSoftware) ??
    (allowSoftware ? attempts.find((a) => a.adapter !== undefined) : undefined);
  const tried = attempts.map(describeAttempt).join('; ');

  if (chosen?.adapter === undefined || chosen.gpu === undefined) {
    if (setEglPlatform) delete process.env.EGL_PLATFORM;
    const softwareOnly = attempts.some((a) => a.adapter !== undefined);
    const hints = attempts
      .filter((a) => a.adapter === undefined)
      .map((a) => DRIVER_HINTS[a.dawnBackend])
      .join('; ');
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      expected: allowSoftware ? 'a WebGPU adapter' : 'a hardware WebGPU adapter',
      actual: tried,
      message: softwareOnly
        ? `initBackend: 'prefer' asks for WebGPU, but Dawn found only software adapters (${tried}). ` +
          'They emulate the GPU on the CPU and are slower than the wasm backend; pass allowSoftware: true ' +
          `to use one anyway, e.g. in tests.${hints !== '' ? ` For a GPU: ${hints}.` : ''}`
        : `initBackend: 'prefer' asks for WebGPU, but Dawn found no adapter (${tried}). ${hints}.`,
    });
  }
  if (setEglPlatform && chosen.dawnBackend !== 'opengles') {
    delete process.env.EGL_PLATFORM;
    setEglPlatform = false;
  }

  const gpu = chosen.gpu;
  const featureLevel = chosen.featureLevel;
  // tfjs-backend-webgpu asks for { powerPreference } only; OpenGL ES needs the compatibility level.
  const navigatorGpu = Object.freeze({
    requestAdapter: (requested?: Record<string, unknown>) =>
      gpu.requestAdapter({ ...requested, featureLevel }),
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
    wgslLanguageFeatures: (gpu as unknown as { wgslLanguageFeatures?: unknown }).wgslLanguageFeatures,
  });

  // Node < 21 has no navigator; Node >= 21 has one (an instance of Navigator) with no gpu.
  let definedNavigator = false;
  if (g.navigator === undefined) {
    defineGlobal('navigator', { gpu: navigatorGpu });
    definedNavigator = true;
  } else {
    try {
      Object.defineProperty(g.navigator, 'gpu', { value: navigatorGpu, writable: true, configurable: true });
    } catch {
      // A navigator that refuses new properties: shadow it with one that inherits from it.
      defineGlobal(
        'navigator',
        Object.create(g.navigator, { gpu: { value: navigatorGpu, configurable: true } }),
      );
      definedNavigator = true;
    }
  }
  let definedWindow = false;
  if (g.window === undefined) {
    defineGlobal('window', globalThis);
    definedWindow = true;
  }
  const definedGlobals: string[] = [];
  for (const [key, value] of Object.entries(mod.globals)) {
    if (!(key in globalThis)) {
      defineGlobal(key, value);
      definedGlobals.push(key);
    }
  }

  const why = chosen.isSoftware
    ? 'software, allowed by allowSoftware'
    : attempts.length > 1
      ? 'first hardware adapter'
      : 'hardware';
  const others = attempts.filter((a) => a !== chosen).map(describeAttempt);
  const info: NodeWebGPUInfo = {
    dawnBackend: chosen.dawnBackend,
    adapter: chosen.adapter,
    isSoftware: chosen.isSoftware,
    reason:
      `Dawn ${chosen.dawnBackend} (${featureLevel} feature level): ${describeAdapter(chosen.adapter)}, ${why}` +
      (others.length > 0 ? `; also tried ${others.join('; ')}` : ''),
  };
  return { info, gpu, navigatorGpu, definedNavigator, definedWindow, definedGlobals, setEglPlatform };
}

/**
 * Sets up WebGPU for tfjs in Node through the optional peer `webgpu` (Dawn): finds an adapter, then
 * defines `navigator.gpu`, `window` (if absent) and the WebGPU globals (`GPUBufferUsage`,
 * `GPUMapMode`, `GPUTextureUsage`, `GPUShaderStage`, ..., only those not yet defined).
 *
 * `'auto'` tries Dawn's Vulkan backend, then its OpenGL ES backend (compatibility feature level,
 * with `EGL_PLATFORM=surfaceless` set in `process.env` for the attempt unless the user set
 * `EGL_PLATFORM`; it stays set only if OpenGL ES is chosen). It stops at the first hardware adapter.
 * Software adapters ({@link isSoftwareAdapter}) are refused unless `allowSoftware`.
 *
 * Idempotent: later and concurrent calls return the same info (a later call that names a different
 * explicit backend throws). Call it before `@tensorflow/tfjs-backend-webgpu` is imported, which
 * registers its backend only if `navigator.gpu` exists at import time; or use
 * {@link registerNodeWebGPUBackend}, which does the rest.
 *
 * Environment: Vulkan needs `libvulkan.so.1` (Debian `libvulkan1`) and a driver; SwiftShader from
 * Debian `chromium` is picked with `VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json`.
 * OpenGL ES needs the unversioned `libEGL.so` (Debian `libegl-dev` over `libegl1`) and a GL driver
 * (NVIDIA's, or Mesa's `libegl-mesa0 libgl1-mesa-dri`).
 *
 * @param options - `backend`: `'auto'` (default), `'vulkan'` or `'opengles'`; `allowSoftware`:
 *   accept a software adapter (default `false`).
 * @returns What was installed: the Dawn backend, the adapter's strings, whether it is software, and
 *   a one-sentence reason.
 * @throws {@link BackendError} (op `initBackend`, argument `prefer`) when `webgpu` is not installed
 *   (with `npm install webgpu`), when Dawn finds no adapter (with the driver hints), when it finds
 *   only software adapters and `allowSoftware` is false, or when `navigator.gpu` was already defined
 *   by something else.
 * @throws {@link ArgumentError} for an unknown `options.backend` or a non-boolean `options.allowSoftware`.
 * @example
 * ```ts
 * const info = await installNodeWebGPU({ allowSoftware: true });
 * console.log(info.reason); // 'Dawn vulkan (core feature level): google swiftshader ... (SwiftShader driver 5.0.0), ...'
 * await import('@tensorflow/tfjs-backend-webgpu');
 * await tf.setBackend('webgpu');
 * ```
 */
export async function installNodeWebGPU(options: NodeWebGPUOptions = {}): Promise<NodeWebGPUInfo> {
  checkOptions(options);
  const state = moduleState();
  if (state.pending === undefined) {
    const pending = install(options);
    state.pending = pending;
    pending.catch(() => {
      if (state.pending === pending) state.pending = undefined; // a failed install may be retried
    });
  }
  const installed = await state.pending;
  const wanted = options.backend ?? 'auto';
  if (wanted !== 'auto' && wanted !== installed.info.dawnBackend) {
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      message:
        `initBackend: WebGPU is already installed on Dawn's ${installed.info.dawnBackend} backend in this ` +
        `process; it cannot switch to ${wanted}. Call uninstallNodeWebGPU() first, before tfjs uses it.`,
    });
  }
  return installed.info;
}

/**
 * Undoes {@link installNodeWebGPU}: removes `navigator.gpu` and the globals it defined, restores
 * `EGL_PLATFORM`, and drops this module's reference to the Dawn instance, so that the next install
 * starts afresh.
 *
 * Remove the tfjs backend first (`tf.removeBackend('webgpu')`), which destroys its device. With
 * `webgpu@0.6.2` the process exits cleanly without this call; older `dawn.node` builds keep the
 * event loop alive while the instance is reachable (crbug.com/387965810), which this call fixes.
 *
 * @returns `true` if something was installed and has been removed, `false` otherwise.
 * @example
 * ```ts
 * tf.removeBackend('webgpu');
 * await uninstallNodeWebGPU();
 * ```
 */
export async function uninstallNodeWebGPU(): Promise<boolean> {
  const state = moduleState();
  const pending = state.pending;
  if (pending === undefined) return false;
  state.pending = undefined;
  let installed: InstalledState;
  try {
    installed = await pending;
  } catch {
    return false;
  }
  const g = globalThis as unknown as Record<string, unknown>;
  if (installed.definedNavigator) {
    delete g.navigator;
  } else {
    const nav = g.navigator as { gpu?: unknown } | undefined;
    if (nav !== undefined && nav.gpu === installed.navigatorGpu) delete nav.gpu;
  }
  if (installed.definedWindow && g.window === globalThis) delete g.window;
  for (const key of installed.definedGlobals) delete g[key];
  if (installed.setEglPlatform) delete process.env.EGL_PLATFORM;
  return true;
}

/**
 * Makes tfjs train on WebGPU in Node: {@link installNodeWebGPU}, then imports
 * `@tensorflow/tfjs-backend-webgpu`, `tf.setBackend('webgpu')` and `tf.ready()`. For `initBackend`.
 *
 * @param options - As for {@link installNodeWebGPU}.
 * @returns The install info; `tf.getBackend()` is `'webgpu'` afterwards.
 * @throws {@link BackendError} (op `initBackend`, argument `prefer`) as {@link installNodeWebGPU}
 *   does; when `@tensorflow/tfjs-backend-webgpu` is missing (with its install command); when it was
 *   imported before `navigator.gpu` existed, so it never registered its backend; or when the backend
 *   fails to initialise.
 * @example
 * ```ts
 * const info = await registerNodeWebGPUBackend({ backend: 'auto' });
 * console.log(tf.getBackend(), info.reason); // 'webgpu', 'Dawn opengles (compatibility feature level): ...'
 * ```
 */
export async function registerNodeWebGPUBackend(options: NodeWebGPUOptions = {}): Promise<NodeWebGPUInfo> {
  const info = await installNodeWebGPU(options);
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      message:
        "initBackend: 'prefer' asks for WebGPU, which needs the optional peer package " +
        `'@tensorflow/tfjs-backend-webgpu': npm install @tensorflow/tfjs-backend-webgpu. Loading it failed: ${why}`,
      cause,
    });
  }
  if (findBackendFactory('webgpu') === null) {
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      message:
        "initBackend: '@tensorflow/tfjs-backend-webgpu' was imported before navigator.gpu existed, so it did " +
        'not register the webgpu backend; call registerNodeWebGPUBackend() before anything imports it.',
    });
  }
  let ok = false;
  let cause: unknown;
  try {
    ok = await setBackend('webgpu');
    await ready();
  } catch (e) {
    cause = e;
  }
  if (!ok || getBackend() !== 'webgpu') {
    throw new BackendError({
      op: 'initBackend',
      argument: 'prefer',
      message: `initBackend: the webgpu backend failed to initialise on ${info.reason}.`,
      ...(cause !== undefined ? { cause } : {}),
    });
  }
  return info;
}
