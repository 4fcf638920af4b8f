/**
 * Test fixture (not exported from the package): the entry of the child `node` processes that
 * `webgpu-node.test.ts` spawns, one per Dawn backend, so that each Dawn instance lives and dies in
 * its own process and a crash or a hang at exit shows as the child's exit status.
 *
 * The test bundles this file with esbuild into one ES module, with `webgpu` and the `@tensorflow/*`
 * packages left external (plain Node loads their CommonJS `main` builds) but tfjs-core's
 * `dist/register_all_gradients` bundled in, because its extensionless ESM imports do not load in
 * plain Node. That is how `@genoise/core`'s own dist ships gradients (tsup `noExternal`).
 *
 * Arguments: `<mode> <backend> <allowSoftware>`, mode `train` (cpu or webgpu: one step of
 * {@link tinyConvnetStep}) or `install` (install, then uninstall); backend `cpu`, `auto`, `vulkan`
 * or `opengles`; allowSoftware `0` or `1`. Prints one JSON line prefixed with `RESULT ` and returns
 * without `process.exit`, so the test also checks that Dawn lets the process end.
 *
 * @internal
 * @packageDocumentation
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import {
  installNodeWebGPU,
  type NodeWebGPUOptions,
  registerNodeWebGPUBackend,
  uninstallNodeWebGPU,
} from './webgpu-node';
import { tinyConvnetStep } from './webgpu-node-train-step';

async function main(): Promise<Record<string, unknown>> {
  const [mode = 'train', backend = 'cpu', allow = '0'] = process.argv.slice(2);
  const options: NodeWebGPUOptions = {
    backend: backend === 'cpu' ? 'auto' : (backend as NonNullable<NodeWebGPUOptions['backend']>),
    allowSoftware: allow === '1',
  };
  if (mode === 'install') {
    const start = performance.now();
    const info = await installNodeWebGPU(options);
    const again = await installNodeWebGPU(options);
    const hadGpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
    const removed = await uninstallNodeWebGPU();
    const hasGpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined;
    return { info, sameInfo: again === info, hadGpu, removed, hasGpu, ms: performance.now() - start };
  }
  if (backend === 'cpu') {
    await setBackend('cpu');
    return { step: await tinyConvnetStep() };
  }
  const start = performance.now();
  const info = await registerNodeWebGPUBackend(options);
  const initMs = performance.now() - start;
  return { info, initMs, step: await tinyConvnetStep() };
}

main().then(
  (result) => console.log(`RESULT ${JSON.stringify({ ok: true, ...result })}`),
  (error: unknown) => {
    const e = error as { name?: string; message?: string; op?: string; argument?: string };
    console.log(
      `RESULT ${JSON.stringify({ ok: false, error: { name: e.name, message: e.message, op: e.op, argument: e.argument } })}`,
    );
    process.exitCode = 1;
  },
);
