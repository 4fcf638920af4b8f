import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError, BackendError } from '../errors/errors';
import { registerChainedOps, registerGradients } from '../gradients/register-gradients';
import type * as NodeEntry from '../node';
import { registerWasmTrainingKernels } from '../wasm/register-wasm-training-kernels';
import {
  BACKEND_NAMES,
  type BackendAttempt,
  type BackendInfo,
  type BackendName,
  defaultBackendOrder,
  detectPlatform,
  type Platform,
  type TensorFlowInfo,
} from './backend-info';
import { registerTensorFlowFixes, tensorflowBindingInfo } from './tensorflow-fixes';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * A backend, or backends in order of preference. When given, only these are tried and failing all of
   * them throws; when absent, the platform's automatic order is used and the first that works wins.
   */
  readonly prefer?: BackendName | readonly BackendName[];
  /**
   * Accept a software WebGPU adapter (SwiftShader, llvmpipe). Default: true when `webgpu` is asked for
   * explicitly, false in the automatic order (a software GPU is slower than wasm).
   */
  readonly allowSoftware?: boolean;
  /**
   * Let the backends' own start-up messages through (Dawn's driver warnings when the automatic order
   * looks for a GPU in Node, TensorFlow's informational logs). Default false: they are kept out of the
   * terminal where genoise can; {@link BackendInfo.reason} has the details either way.
   */
  readonly verbose?: boolean;
}

/** Install hints for each backend's package, used in errors. */
const INSTALL: Record<BackendName, string> = {
  tensorflow:
    'npm install @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu with CUDA); its install downloads libtensorflow',
  webgpu: 'npm install @tensorflow/tfjs-backend-webgpu (and in Node also: npm install webgpu)',
  webgl: 'npm install @tensorflow/tfjs-backend-webgl (browser only)',
  wasm: 'npm install @tensorflow/tfjs-backend-wasm',
  cpu: 'npm install @tensorflow/tfjs-backend-cpu',
};

const PACKAGE: Record<Exclude<BackendName, 'tensorflow'>, string> = {
  webgpu: '@tensorflow/tfjs-backend-webgpu',
  webgl: '@tensorflow/tfjs-backend-webgl',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

let current: BackendInfo | undefined;

/**
 * The Node-only entry of this package (Dawn). A computed specifier, so that bundlers of the main entry
 * for browsers neither follow nor need it; Node resolves a package's own name through its `exports`.
 */
const NODE_ENTRY: string = '@genoise/core/node';

type NodeWebGPUBackend = NonNullable<NodeEntry.NodeWebGPUOptions['backend']>;

/**
 * Imports an optional peer by a computed specifier, so bundlers do not try to resolve packages the
 * user did not install. In browsers, apps import the backend packages themselves (see the README).
 */
async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (e?.code === 'ERR_MODULE_NOT_FOUND' ||
      e?.code === 'MODULE_NOT_FOUND' ||
      /Cannot find (module|package)|Failed to (resolve|load)|Could not resolve/i.test(e?.message ?? '')) &&
    (e?.message ?? '').includes(specifier)
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Makes sure the backend's factory is registered, importing its package in Node if needed. */
async function ensureRegistered(name: Exclude<BackendName, 'tensorflow'>, platform: Platform): Promise<void> {
  if (tf.findBackendFactory(name) !== null) return;
  if (platform !== 'node') {
    throw new Error(
      `the ${name} backend is not registered; add \`import '${PACKAGE[name]}'\` to your app (${INSTALL[name]})`,
    );
  }
  try {
    await importOptional(PACKAGE[name]);
  } catch (error) {
    if (isModuleNotFound(error, PACKAGE[name]))
      throw new Error(`${PACKAGE[name]} is not installed (${INSTALL[name]})`);
    throw error;
  }
  if (tf.findBackendFactory(name) === null)
    throw new Error(`${PACKAGE[name]} loaded but registered no '${name}' backend`);
}

async function activate(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise the backend`);
  await tf.ready();
}

/** Whether this process has loaded Dawn's `webgpu` module (webgpu-node.ts sets a global flag). */
function dawnLoaded(): boolean {
  return (
    (globalThis as unknown as Record<symbol, boolean | undefined>)[Symbol.for('genoise.dawnLoaded')] === true
  );
}

interface Outcome {
  readonly reason: string;
  readonly adapter?: BackendInfo['adapter'];
  readonly tensorflow?: TensorFlowInfo;
}

interface TryOptions {
  readonly explicit: boolean;
  readonly allowSoftware: boolean;
  readonly verbose: boolean;
}

async function tryBackend(name: BackendName, platform: Platform, options: TryOptions): Promise<Outcome> {
  const { explicit, allowSoftware, verbose } = options;
  switch (name) {
    case 'tensorflow': {
      if (platform !== 'node') throw new Error('tfjs-node runs only in Node');
      if (dawnLoaded()) {
        // Seen with webgpu 0.6.2 and TensorFlow 2.21: loading libtensorflow after Dawn crashes the process
        // (segmentation fault); the other order works.
        throw new Error(
          'tfjs-node cannot load after Dawn (webgpu) in the same process; choose tensorflow first or use another process',
        );
      }
      // TensorFlow logs its CPU-feature notes at INFO level; keep them out unless asked (the user's own
      // TF_CPP_MIN_LOG_LEVEL wins). Two lines from before its logging starts still reach stderr.
      const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
      if (env !== undefined && env.TF_CPP_MIN_LOG_LEVEL === undefined && !verbose)
        env.TF_CPP_MIN_LOG_LEVEL = '1';
      let found: string | undefined;
      for (const specifier of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          await importOptional(specifier);
          found = specifier;
          break;
        } catch (error) {
          if (!isModuleNotFound(error, specifier))
            throw new Error(`${specifier} is installed but failed to load: ${errorText(error)}`);
        }
      }
      if (found === undefined) {
        throw new Error(
          `neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (${INSTALL.tensorflow})`,
        );
      }
      await activate('tensorflow');
      const binding = tensorflowBindingInfo(tf.backend());
      const fixes = registerTensorFlowFixes(binding?.version);
      const tensorflow: TensorFlowInfo | undefined =
        binding === undefined
          ? undefined
          : { version: binding.version, package: found, gpu: binding.gpu, fixes };
      const what =
        binding === undefined
          ? 'native TensorFlow'
          : `TensorFlow ${binding.version}${binding.gpu ? ' on a GPU' : ''}`;
      return {
        reason: `${what} through ${found}${fixes.length > 0 ? ` (genoise works around: ${fixes.join(', ')})` : ''}`,
        ...(tensorflow !== undefined ? { tensorflow } : {}),
      };
    }
    case 'webgpu': {
      if (platform === 'node') {
        const node = (await importOptional(NODE_ENTRY)) as typeof NodeEntry;
        let backend: NodeWebGPUBackend = 'auto';
        if (!explicit && !allowSoftware) {
          // The automatic order wants a GPU, which most machines lack: ask in a child process, so that
          // Dawn's driver warnings stay out of the user's terminal, and load Dawn here only for a GPU.
          const probe = await node.probeNodeWebGPU({ verbose });
          const gpu = probe.results.find((r) => r.adapter !== undefined && !r.isSoftware);
          if (gpu === undefined) {
            const seen = probe.results
              .map((r) =>
                r.adapter === undefined
                  ? `${r.dawnBackend}: ${r.error}`
                  : `${r.dawnBackend}: software adapter ${r.adapter.description || r.adapter.device}`,
              )
              .join(', ');
            throw new Error(`no hardware WebGPU adapter through Dawn (${seen})`);
          }
          backend = gpu.dawnBackend;
        }
        const info = await node.registerNodeWebGPUBackend({
          backend,
          allowSoftware: explicit || allowSoftware,
        });
        if (info.isSoftware && !explicit && !allowSoftware) {
          // Dawn was installed earlier with allowSoftware (it is once per process); the automatic order
          // still refuses a software adapter, which is slower than wasm.
          throw new Error(
            `the only WebGPU adapter is software (${info.adapter.description || info.adapter.device}), slower than wasm`,
          );
        }
        const adapter = {
          description: info.adapter.description || info.adapter.device || info.adapter.vendor,
          isSoftware: info.isSoftware,
        };
        return { reason: `WebGPU in Node through Dawn (${info.dawnBackend}): ${info.reason}`, adapter };
      }
      if (typeof (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === 'undefined') {
        throw new Error('this browser has no navigator.gpu');
      }
      await ensureRegistered('webgpu', platform);
      await activate('webgpu');
      return { reason: 'WebGPU is available in this browser' };
    }
    case 'webgl': {
      if (platform === 'node') throw new Error('WebGL needs a browser');
      await ensureRegistered('webgl', platform);
      await activate('webgl');
      return { reason: 'WebGL is available' };
    }
    case 'wasm': {
      await ensureRegistered('wasm', platform);
      const added = registerWasmTrainingKernels();
      await activate('wasm');
      return { reason: `WebAssembly with ${added.length} training kernels composed by genoise` };
    }
    case 'cpu': {
      await ensureRegistered('cpu', platform);
      await activate('cpu');
      return { reason: 'plain JavaScript (slow; for correctness checks)' };
    }
  }
}

async function describe(
  name: BackendName,
  platform: Platform,
  outcome: Outcome,
  tried: BackendAttempt[],
  explicit: boolean,
): Promise<BackendInfo> {
  const precision = tf.backend().floatPrecision() === 16 ? 16 : 32;
  let simd: boolean | undefined;
  let threads: number | undefined;
  if (name === 'wasm') {
    simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    threads = threaded ? undefined : 1;
    if (threaded) {
      // Ask the running backend's module, not the package by name: a browser cannot import a bare
      // specifier at run time, and a failed import here used to count wasm as unavailable.
      const module = (tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } })
        .wasm;
      threads = module?.tfjs?.getThreadsCount?.() ?? 1;
    }
  }
  const skipped = tried.map((t) => `${t.name}: ${t.error}`).join('; ');
  const reason = explicit
    ? `asked for: ${outcome.reason}${skipped ? `; skipped ${skipped}` : ''}`
    : `first available in the ${platform} order ${defaultBackendOrder(platform).join(' > ')}: ${outcome.reason}${skipped ? `; skipped ${skipped}` : ''}`;
  return {
    name,
    platform,
    reason,
    floatPrecision: precision,
    simd,
    threads,
    adapter: outcome.adapter,
    tried,
    ...(outcome.tensorflow !== undefined ? { tensorflow: outcome.tensorflow } : {}),
  };
}

/**
 * Chooses, loads and activates a tfjs backend, registers the gradients, and on wasm the training
 * kernels tfjs lacks. Without `prefer`, the first backend that works in the platform's order wins:
 * Node `tensorflow` (tfjs-node-gpu, then tfjs-node, if installed) > `webgpu` (a real GPU through Dawn)
 * > `wasm` > `cpu`; browser `webgpu` > `webgl` > `wasm` > `cpu`.
 *
 * @returns what {@link backendInfo} returns afterwards: the backend, why, precision, SIMD
 * @throws BackendError when every preferred backend fails; the message lists each reason and the
 *   install command
 * @example
 * ```ts
 * const info = await initBackend();                     // best available
 * await initBackend({ prefer: 'wasm' });               // exactly wasm, or a BackendError
 * await initBackend({ prefer: ['webgpu', 'wasm'] });    // first of these that works
 * console.log(info.name, info.reason);
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const platform = detectPlatform();
  const explicit = options.prefer !== undefined;
  const order: readonly BackendName[] =
    options.prefer === undefined
      ? defaultBackendOrder(platform)
      : typeof options.prefer === 'string'
        ? [options.prefer]
        : options.prefer;
  if (order.length === 0 || !order.every((n) => BACKEND_NAMES.includes(n))) {
    throw new ArgumentError({
      op: 'initBackend',
      argument: 'prefer',
      expected: `one or more of ${BACKEND_NAMES.join(', ')}`,
      actual: JSON.stringify(options.prefer),
    });
  }
  await Promise.all([registerGradients(), registerChainedOps()]);
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const outcome = await tryBackend(name, platform, {
        explicit,
        allowSoftware: options.allowSoftware ?? false,
        verbose: options.verbose ?? false,
      });
      current = await describe(name, platform, outcome, tried, explicit);
      return current;
    } catch (error) {
      tried.push({ name, error: errorText(error) });
    }
  }
  const details = tried.map((t) => `${t.name}: ${t.error}`).join('; ');
  throw new BackendError({
    op: 'initBackend',
    argument: 'prefer',
    expected: order.join(' or '),
    actual: 'none available',
    message: `initBackend: no backend of [${order.join(', ')}] could start on ${platform}. ${details}.`,
  });
}

/**
 * What is running: the backend chosen by the last {@link initBackend} call, why, float precision and
 * (wasm) SIMD. If the backend was changed behind genoise's back with `tf.setBackend`, the name follows
 * tfjs and the reason says so.
 *
 * @throws BackendError when no backend has been initialised yet
 */
export function backendInfo(): BackendInfo {
  const active = tf.getBackend() as BackendName | undefined;
  if (current === undefined || active === undefined) {
    throw new BackendError({
      op: 'backendInfo',
      message: 'backendInfo: no backend yet; call await initBackend() first.',
    });
  }
  if (active !== current.name) {
    const { tensorflow: _tensorflow, ...rest } = current;
    return {
      ...rest,
      name: active,
      reason: `set directly with tf.setBackend('${active}') after initBackend chose '${current.name}'`,
      simd: undefined,
      threads: undefined,
      adapter: undefined,
    };
  }
  return current;
}
