import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testBackend } from '@genoise/vitest/setup';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');

// Gradients and chained ops come from tfjs-core's side-effect modules, whose extensionless ESM imports
// plain Node cannot load; the build bundles them. This proves it outside vitest, on the built package.
describe.runIf(testBackend() === 'wasm')('built @genoise/core in a plain node process', () => {
  async function train(
    backend: 'cpu' | 'wasm',
  ): Promise<{ backend: string; losses: number[]; numTensors: number }> {
    const { stdout } = await run(process.execPath, [join(here, 'fixtures', 'train-one-step.mjs'), backend], {
      cwd: join(here, '..'),
      timeout: 120_000,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  }

  it('trains a convnet (conv2d, depthwise, gather) for five SGD steps on wasm, matching cpu', async () => {
    expect(existsSync(dist), `missing ${dist}: run \`pnpm build\` first (turbo's test task does)`).toBe(true);
    const [onWasm, onCpu] = await Promise.all([train('wasm'), train('cpu')]);
    expect(onWasm.backend).toBe('wasm');
    expect(onCpu.backend).toBe('cpu');
    expect(onWasm.losses.every(Number.isFinite)).toBe(true);
    expect(onWasm.losses.at(-1)!).toBeLessThan(onWasm.losses[0]! * 0.9);
    for (const [i, loss] of onWasm.losses.entries()) {
      expect(Math.abs(loss - onCpu.losses[i]!)).toBeLessThan(1e-5 * Math.abs(onCpu.losses[i]!) + 1e-6);
    }
    // Only the three variables and the fixed inputs stay alive between steps.
    expect(onWasm.numTensors).toBe(onCpu.numTensors);
  });
});
