/**
 * A quiet look for a WebGPU adapter through Dawn (the `webgpu` package), in a child process.
 *
 * Dawn prints its driver complaints ("Couldn't load Vulkan", "Failed to load libEGL.so", adapter
 * limits) from native code straight to the process's stderr, where no JavaScript can catch them. The
 * automatic backend order only wants a hardware adapter, which most machines lack, so `initBackend`
 * asks in a short-lived child whose output it keeps, and loads Dawn in its own process only when the
 * child found a GPU. Node only.
 *
 * @packageDocumentation
 */

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isSoftwareAdapter } from './software-adapter';
import type { DawnBackend, NodeWebGPUAdapterInfo } from './webgpu-node';

/** One Dawn backend as {@link probeNodeWebGPU} found it. */
export interface WebGPUProbeResult {
  readonly dawnBackend: DawnBackend;
  /** The adapter's strings, or `undefined` when Dawn found none on this backend. */
  readonly adapter: NodeWebGPUAdapterInfo | undefined;
  readonly isSoftware: boolean;
  /** Why there is no adapter. */
  readonly error: string | undefined;
}

/** What {@link probeNodeWebGPU} saw. */
export interface WebGPUProbe {
  readonly results: readonly WebGPUProbeResult[];
  /** Whatever Dawn printed on stderr, for verbose output. */
  readonly stderr: string;
}

/** Options of {@link probeNodeWebGPU}. */
export interface WebGPUProbeOptions {
  /** Show Dawn's own messages on this process's stderr too. Default false. */
  readonly verbose?: boolean;
  /** Give up after this many ms (the child is killed). Default 20 000. */
  readonly timeoutMs?: number;
}

const CHILD = `
const [url] = process.argv.slice(1);
const out = [];
try {
  const { create } = await import(url);
  for (const backend of ['vulkan', 'opengles']) {
    if (backend === 'opengles' && process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
    try {
      const gpu = create(['backend=' + backend]);
      const featureLevel = backend === 'opengles' ? 'compatibility' : 'core';
      const a = await gpu.requestAdapter({ powerPreference: 'high-performance', featureLevel });
      if (a === null) out.push({ backend, error: 'no adapter' });
      else {
        const i = a.info;
        out.push({ backend, info: { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '',
          description: i.description ?? '', isFallbackAdapter: i.isFallbackAdapter === true } });
      }
    } catch (e) {
      out.push({ backend, error: String(e && e.message || e).split('\\n')[0] });
    }
  }
} catch (e) {
  out.push({ backend: 'vulkan', error: 'the webgpu package failed to load: ' + String(e && e.message || e).split('\\n')[0] });
}
process.stdout.write('PROBE ' + JSON.stringify(out) + '\\n');
process.exit(0);
`;

/**
 * Asks Dawn, in a child `node` process, which WebGPU adapters its Vulkan and OpenGL ES backends find,
 * keeping Dawn's stderr messages out of this process's terminal (unless `verbose`). Costs one Node
 * start-up (about 0.3 s) plus Dawn's own probing.
 *
 * @returns One result per Dawn backend, and Dawn's stderr.
 * @throws Error when the `webgpu` package is not installed (with its install command).
 */
export async function probeNodeWebGPU(options: WebGPUProbeOptions = {}): Promise<WebGPUProbe> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('webgpu');
  } catch {
    throw new Error("the optional peer package 'webgpu' (Dawn) is not installed (npm install webgpu)");
  }
  const verbose = options.verbose === true;
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, pathToFileURL(entry).href], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (verbose) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', () => resolve({ stdout: out, stderr: err }));
  });
  const line = stdout.split('\n').find((l) => l.startsWith('PROBE '));
  if (line === undefined) {
    const why = stderr.trim().split('\n').at(-1) ?? 'no output';
    throw new Error(`the Dawn probe process failed: ${why}`);
  }
  const raw = JSON.parse(line.slice('PROBE '.length)) as {
    backend: DawnBackend;
    info?: NodeWebGPUAdapterInfo & { isFallbackAdapter: boolean };
    error?: string;
  }[];
  const results = raw.map((r): WebGPUProbeResult => {
    if (r.info === undefined)
      return {
        dawnBackend: r.backend,
        adapter: undefined,
        isSoftware: false,
        error: r.error ?? 'no adapter',
      };
    const { isFallbackAdapter, ...adapter } = r.info;
    return {
      dawnBackend: r.backend,
      adapter,
      isSoftware: isSoftwareAdapter({ ...adapter, isFallbackAdapter }),
      error: undefined,
    };
  });
  return { results, stderr };
}
