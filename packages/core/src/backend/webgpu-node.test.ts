import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArgumentError, BackendError } from '../errors/errors';
import { installNodeWebGPU, isSoftwareAdapter, type NodeWebGPUInfo } from './webgpu-node';
import { type TinyConvnetStepResult, tinyConvnetStep } from './webgpu-node-train-step';

// ---------------------------------------------------------------------------------------------
// Unit
// ---------------------------------------------------------------------------------------------

describe('isSoftwareAdapter', () => {
  it('recognises SwiftShader (Dawn Vulkan, as seen here)', () => {
    expect(
      isSoftwareAdapter({
        vendor: 'google',
        architecture: 'swiftshader',
        device: 'swiftshader-device-subzero-',
        description: 'SwiftShader driver 5.0.0',
      }),
    ).toBe(true);
    expect(isSoftwareAdapter({ description: 'Google SwiftShader' })).toBe(true);
  });

  it('recognises llvmpipe (Dawn OpenGL ES on Mesa, as seen here) and lavapipe', () => {
    expect(
      isSoftwareAdapter({
        vendor: '',
        architecture: '',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6',
      }),
    ).toBe(true);
    expect(
      isSoftwareAdapter({
        vendor: 'mesa',
        device: 'llvmpipe (LLVM 15.0.6, 256 bits)',
        description: 'Mesa 22.3.6 (lavapipe)',
      }),
    ).toBe(true);
  });

  it('recognises fallback and CPU adapters and other software rasterisers', () => {
    expect(isSoftwareAdapter({ vendor: 'nvidia', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ architecture: 'CPU' })).toBe(true);
    expect(isSoftwareAdapter({ description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ description: 'Software Rasterizer' })).toBe(true);
    expect(isSoftwareAdapter({ device: 'softpipe' })).toBe(true);
  });

  it('accepts NVIDIA, AMD and Intel GPUs, including Mesa drivers that mention LLVM', () => {
    expect(
      isSoftwareAdapter({
        vendor: 'nvidia',
        architecture: 'hopper',
        device: '',
        description: 'NVIDIA: 550.54.15 550.54.15.0',
      }),
    ).toBe(false);
    expect(
      isSoftwareAdapter({
        device: 'nvidia-h100-80gb-hbm3-pcie-sse2',
        description: 'OpenGL version OpenGL ES 3.2 NVIDIA 550.54.15',
      }),
    ).toBe(false);
    expect(
      isSoftwareAdapter({
        vendor: 'amd',
        architecture: 'rdna-2',
        description: 'AMD open-source driver 2.0.279',
      }),
    ).toBe(false);
    expect(
      isSoftwareAdapter({
        device: 'amd-radeon-rx-6800-navi21-llvm-15-0-6-drm-3-49',
        description: 'OpenGL ES 3.2 Mesa 22.3.6 (AMD Radeon RX 6800 (navi21, LLVM 15.0.6))',
      }),
    ).toBe(false);
    expect(
      isSoftwareAdapter({
        vendor: 'intel',
        architecture: 'gen-12lp',
        description: 'Mesa Intel(R) UHD Graphics 770 (ADL-S GT1)',
      }),
    ).toBe(false);
    expect(isSoftwareAdapter({})).toBe(false);
  });
});

// In the vitest project that runs on webgpu, the setup file has already installed WebGPU.
const installedBySetup = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;

describe('installNodeWebGPU errors', () => {
  it('rejects an unknown backend with an ArgumentError, before touching Dawn', async () => {
    const error = await installNodeWebGPU({ backend: 'metal' as 'vulkan' }).catch((e: unknown) => e);
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "installNodeWebGPU: 'options.backend' is \"metal\" but expected 'auto', 'vulkan' or 'opengles'.",
    );
  });

  it.runIf(!installedBySetup)(
    'names initBackend, prefer and the install command when the webgpu package is missing',
    async () => {
      vi.resetModules();
      vi.doMock('webgpu', () => {
        throw new Error("Cannot find package 'webgpu' imported from webgpu-node.ts");
      });
      try {
        const fresh = await import('./webgpu-node');
        const error = await fresh.installNodeWebGPU().catch((e: unknown) => e);
        expect(BackendError.isInstance(error)).toBe(true);
        expect(error).toMatchObject({ op: 'initBackend', argument: 'prefer' });
        expect((error as Error).message).toMatch(
          /^initBackend: 'prefer' asks for WebGPU in Node, which needs the optional peer package 'webgpu' \(Dawn\): npm install webgpu\. Loading it failed: /,
        );
        expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
      } finally {
        vi.doUnmock('webgpu');
        vi.resetModules();
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Integration: child `node` processes, one per Dawn backend
// ---------------------------------------------------------------------------------------------
//
// When: on Linux, when the drivers are present (SwiftShader's ICD and the Vulkan loader for Vulkan;
// the unversioned libEGL.so and a glvnd EGL vendor for OpenGL ES), in one vitest project only (the
// child processes do not depend on the project's backend). GENOISE_TEST_WEBGPU=1 turns a missing
// driver into a failure instead of a skip (CI); GENOISE_TEST_WEBGPU=0 skips them.

const here = dirname(fileURLToPath(import.meta.url));
const coreRoot = join(here, '..', '..');
const requireFromCore = createRequire(join(coreRoot, 'package.json'));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const CHILD_TIMEOUT_MS = 110_000;
const TOLERANCE = 1e-3;

function libraryDirs(): string[] {
  const multiarch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(delimiter).filter((d) => d !== '');
  return [
    ...fromEnv,
    `/usr/lib/${multiarch}`,
    `/lib/${multiarch}`,
    '/usr/lib64',
    '/usr/lib',
    '/lib',
    '/usr/local/lib',
  ];
}
function findLibrary(name: string): string | undefined {
  return libraryDirs()
    .map((d) => join(d, name))
    .find((p) => existsSync(p));
}

function vulkanIcd(): string | undefined {
  const fromEnv = process.env.VK_ICD_FILENAMES;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined;
}

function vulkanMissing(): string | undefined {
  if (process.platform !== 'linux') return `Linux only (this is ${process.platform})`;
  const missing: string[] = [];
  const icd = vulkanIcd();
  if (icd === undefined)
    missing.push(`no Vulkan ICD (${SWIFTSHADER_ICD} from Debian chromium, or VK_ICD_FILENAMES)`);
  else if (!icd.split(delimiter).every((f) => existsSync(f)))
    missing.push(`VK_ICD_FILENAMES=${icd} names a missing file`);
  if (findLibrary('libvulkan.so.1') === undefined) missing.push('no libvulkan.so.1 (Debian libvulkan1)');
  return missing.length > 0 ? missing.join('; ') : undefined;
}

function eglMissing(): string | undefined {
  if (process.platform !== 'linux') return `Linux only (this is ${process.platform})`;
  const missing: string[] = [];
  // Dawn dlopens the unversioned name, which only the -dev package provides on Debian.
  if (findLibrary('libEGL.so') === undefined) missing.push('no libEGL.so (Debian libegl-dev over libegl1)');
  const vendorDir = '/usr/share/glvnd/egl_vendor.d';
  if (!existsSync(vendorDir) || readdirSync(vendorDir).length === 0) {
    missing.push(`no EGL vendor in ${vendorDir} (Debian libegl-mesa0 libgl1-mesa-dri, or the NVIDIA driver)`);
  }
  return missing.length > 0 ? missing.join('; ') : undefined;
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}
async function loadEsbuild(): Promise<Esbuild | undefined> {
  const candidates = [
    () => requireFromCore.resolve('esbuild'),
    // esbuild is not (yet) a dependency of @genoise/core; tsup, a root devDependency, brings it.
    () => createRequire(requireFromCore.resolve('tsup/package.json')).resolve('esbuild'),
  ];
  for (const resolve of candidates) {
    try {
      const mod = (await import(pathToFileURL(resolve()).href)) as {
        build?: unknown;
        default?: { build?: unknown };
      };
      const build = mod.build ?? mod.default?.build;
      if (typeof build === 'function') return { build: build as Esbuild['build'] };
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const webgpuSetting = process.env.GENOISE_TEST_WEBGPU;
const project = process.env.GENOISE_TEST_BACKEND;
const esbuild = await loadEsbuild();
const skipAll =
  webgpuSetting === '0'
    ? 'GENOISE_TEST_WEBGPU=0'
    : project !== undefined && project !== 'cpu'
      ? `they run in the cpu project only (this is ${project})`
      : esbuild === undefined
        ? 'esbuild not found (needed to bundle the child script)'
        : undefined;
const forced = webgpuSetting === '1';
const vulkanGap = vulkanMissing();
const eglGap = eglMissing();
const runVulkan = skipAll === undefined && (forced || vulkanGap === undefined);
const runGles = skipAll === undefined && (forced || eglGap === undefined);
for (const [name, run, gap] of [
  ['Vulkan (SwiftShader)', runVulkan, vulkanGap],
  ['OpenGL ES (llvmpipe)', runGles, eglGap],
] as const) {
  if (!run) console.warn(`[webgpu-node.test] skipping Dawn ${name} integration tests: ${skipAll ?? gap}`);
}

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly result: Record<string, unknown> | undefined;
  readonly stderr: string;
  readonly ms: number;
}

let bundleDir: string | undefined;
let childScript = '';

async function bundleChild(): Promise<void> {
  if (esbuild === undefined) throw new Error('esbuild not found');
  bundleDir = mkdtempSync(join(tmpdir(), 'genoise-webgpu-node-'));
  childScript = join(bundleDir, 'child.mjs');
  const external =
    /^(webgpu|@tensorflow\/tfjs-core|@tensorflow\/tfjs-backend-cpu|@tensorflow\/tfjs-backend-webgpu)$/;
  await esbuild.build({
    entryPoints: [join(here, 'webgpu-node-child.ts')],
    outfile: childScript,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'external-packages-by-path',
        setup(build: { onResolve(o: { filter: RegExp }, f: (a: { path: string }) => unknown): void }) {
          // Keep the packages external but point at their files, so the bundle runs from a temp dir.
          build.onResolve({ filter: external }, (args) => ({
            path: pathToFileURL(requireFromCore.resolve(args.path)).href,
            external: true,
          }));
        },
      },
    ],
  });
}

function runChild(args: readonly string[], env: Record<string, string | undefined>): Promise<ChildRun> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, ...args], {
      cwd: coreRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const result =
        line !== undefined
          ? (JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>)
          : undefined;
      resolve({ code, signal, result, stderr, ms: performance.now() - start });
    });
  });
}

function describeRun(run: ChildRun): string {
  return `exit ${run.code} ${run.signal ?? ''}\nresult ${JSON.stringify(run.result)}\nstderr (tail):\n${run.stderr.slice(-2000)}`;
}

function expectClose(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeTypeOf('number');
  const diff = Math.abs((actual as number) - expected);
  expect(diff, `${what}: ${actual} vs cpu ${expected}`).toBeLessThanOrEqual(
    TOLERANCE * Math.max(1, Math.abs(expected)),
  );
}

function expectSameStep(
  step: TinyConvnetStepResult,
  reference: TinyConvnetStepResult,
): Record<string, number> {
  expectClose(step.loss, reference.loss, 'loss');
  expectClose(step.lossAfter, reference.lossAfter, 'loss after the step');
  const diffs: Record<string, number> = {
    loss: Math.abs(step.loss - reference.loss),
    lossAfter: Math.abs(step.lossAfter - reference.lossAfter),
  };
  for (const [name, value] of Object.entries(reference.gradNorms)) {
    expectClose(step.gradNorms[name], value, `gradient norm of ${name}`);
    diffs[`grad ${name}`] = Math.abs((step.gradNorms[name] ?? Number.NaN) - value);
  }
  return diffs;
}

let reference: TinyConvnetStepResult | undefined;
async function cpuReference(): Promise<TinyConvnetStepResult> {
  if (reference === undefined) {
    const previous = tf.getBackend();
    await tf.setBackend('cpu');
    reference = await tinyConvnetStep();
    if (previous !== undefined && previous !== 'cpu') await tf.setBackend(previous);
  }
  return reference;
}

describe.runIf(skipAll === undefined)(
  `tiny convnet step in a plain node child${skipAll !== undefined ? ` (skipped: ${skipAll})` : ''}`,
  () => {
    beforeAll(bundleChild, 60_000);
    afterAll(() => {
      if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
    });

    it('cpu in plain node (bundled gradients) matches cpu under vitest', async () => {
      const ref = await cpuReference();
      const run = await runChild(['train', 'cpu', '0'], {});
      expect(run.code, describeRun(run)).toBe(0);
      const step = run.result?.step as TinyConvnetStepResult;
      expect(step.backend).toBe('cpu');
      expect(Number.isFinite(ref.loss) && ref.loss > 0).toBe(true);
      expect(ref.lossAfter).toBeLessThan(ref.loss);
      expectSameStep(step, ref);
      console.log(
        `[webgpu-node.test] cpu: loss ${ref.loss} -> ${ref.lossAfter}, grad norms ${JSON.stringify(ref.gradNorms)}; child ${run.ms.toFixed(0)} ms`,
      );
    }, 120_000);

    for (const [dawnBackend, run, gap, env] of [
      ['vulkan', runVulkan, vulkanGap, { VK_ICD_FILENAMES: vulkanIcd() }],
      ['opengles', runGles, eglGap, {}],
    ] as const) {
      it.runIf(run)(
        `webgpu on Dawn ${dawnBackend} agrees with cpu within ${TOLERANCE} and the process exits cleanly`,
        async () => {
          expect(gap, `GENOISE_TEST_WEBGPU=1 but the ${dawnBackend} driver is missing`).toBeUndefined();
          const ref = await cpuReference();
          const child = await runChild(['train', dawnBackend, '1'], env);
          expect(child.result?.ok, describeRun(child)).toBe(true);
          expect(child.signal, describeRun(child)).toBeNull();
          expect(child.code, describeRun(child)).toBe(0);
          const info = child.result?.info as NodeWebGPUInfo;
          const step = child.result?.step as TinyConvnetStepResult;
          expect(info.dawnBackend).toBe(dawnBackend);
          expect(info.isSoftware).toBe(isSoftwareAdapter(info.adapter));
          expect(step.backend).toBe('webgpu');
          const diffs = expectSameStep(step, ref);
          console.log(
            `[webgpu-node.test] ${dawnBackend}: ${JSON.stringify(info.adapter)} software=${info.isSoftware}; ` +
              `loss ${step.loss} -> ${step.lossAfter}; |diff| vs cpu ${JSON.stringify(diffs)}; ` +
              `init ${Number(child.result?.initMs).toFixed(0)} ms, step ${step.ms.toFixed(0)} ms, child ${child.ms.toFixed(0)} ms`,
          );
        },
        120_000,
      );
    }

    it.runIf(runVulkan && runGles)(
      "'auto' probes Vulkan then OpenGL ES in one process, is idempotent and uninstalls",
      async () => {
        const env = { VK_ICD_FILENAMES: vulkanIcd() };
        const child = await runChild(['install', 'auto', '1'], env);
        expect(child.result?.ok, describeRun(child)).toBe(true);
        expect(child.code, describeRun(child)).toBe(0);
        expect(child.result).toMatchObject({ sameInfo: true, hadGpu: true, removed: true, hasGpu: false });
        const info = child.result?.info as NodeWebGPUInfo;
        if (info.isSoftware) {
          // No GPU here: both were probed, and the first software adapter (Vulkan) was kept.
          expect(info.dawnBackend).toBe('vulkan');
          expect(info.reason).toMatch(
            /^Dawn vulkan \(core feature level\): .*software, allowed by allowSoftware; also tried opengles: /,
          );
        }
        console.log(`[webgpu-node.test] auto: ${info.reason}; child ${child.ms.toFixed(0)} ms`);

        const strict = await runChild(['install', 'auto', '0'], env);
        if (info.isSoftware) {
          expect(strict.result?.ok, describeRun(strict)).toBe(false);
          expect(strict.result?.error).toMatchObject({
            name: 'BackendError',
            op: 'initBackend',
            argument: 'prefer',
          });
          expect(String((strict.result?.error as { message?: string } | undefined)?.message)).toMatch(
            /^initBackend: 'prefer' asks for WebGPU, but Dawn found only software adapters \(vulkan: software adapter .*; opengles: software adapter .*\)\..*allowSoftware: true/,
          );
          expect(strict.code).toBe(1);
        } else {
          expect(strict.result?.ok, describeRun(strict)).toBe(true);
        }
      },
      120_000,
    );
  },
);
