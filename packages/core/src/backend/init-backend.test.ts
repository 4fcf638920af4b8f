import { createRequire } from 'node:module';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, BackendError } from '../errors/errors';
import { defaultBackendOrder, describeBackend, detectPlatform } from './backend-info';
import { backendInfo, initBackend } from './init-backend';

// tfjs-node is set up by the root postinstall where it can be (tooling/scripts/setup-tfjs-node.mjs);
// the tests below cover both machines. (In the webgpu project Dawn is loaded first, and initBackend
// refuses tfjs-node after Dawn, which would crash the process.)
const tfjsNodeInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();
const hasTensorFlow = await initBackend({ prefer: 'tensorflow' }).then(
  () => true,
  () => false,
);
await initBackend({ prefer: testBackend(), allowSoftware: true });

describe('initBackend', () => {
  afterAll(async () => {
    await initBackend({ prefer: testBackend(), allowSoftware: true });
  });

  it('knows the platform and its order', () => {
    expect(detectPlatform()).toBe('node');
    expect(defaultBackendOrder('node')).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(defaultBackendOrder('browser')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('activates an explicit backend and reports it', async () => {
    const info = await initBackend({ prefer: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(info).toMatchObject({
      name: 'cpu',
      platform: 'node',
      floatPrecision: 32,
      simd: undefined,
      tried: [],
    });
    expect(info.reason).toMatch(/^asked for/);
    expect(backendInfo()).toEqual(info);
  });

  it('reports wasm SIMD and one thread in Node', async () => {
    const info = await initBackend({ prefer: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1);
    expect(info.reason).toMatch(/training kernels composed by genoise/);
  });

  it.runIf(hasTensorFlow)('activates tfjs-node and reports the TensorFlow behind it', async () => {
    const info = await initBackend({ prefer: 'tensorflow' });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(info).toMatchObject({ name: 'tensorflow', floatPrecision: 32, simd: undefined, tried: [] });
    expect(info.tensorflow).toMatchObject({ package: '@tensorflow/tfjs-node', gpu: false });
    expect(info.reason).toMatch(/^asked for: TensorFlow \d+\.\d+\.\d+ through @tensorflow\/tfjs-node/);
    expect(describeBackend(info)).toBe(
      `backend: tensorflow (TensorFlow ${info.tensorflow?.version}, native)`,
    );
    expect(backendInfo()).toEqual(info);
  });

  it.skipIf(tfjsNodeInstalled)(
    'throws a BackendError with the install command when tfjs-node is missing',
    async () => {
      let error: unknown;
      try {
        await initBackend({ prefer: 'tensorflow' });
      } catch (e) {
        error = e;
      }
      expect(BackendError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(
        'initBackend: no backend of [tensorflow] could start on node. tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed (npm install @tensorflow/tfjs-node',
      );
      expect(error).toMatchObject({ op: 'initBackend', argument: 'prefer' });
    },
  );

  it('falls through a preference list and records why', async () => {
    const info = await initBackend({ prefer: ['webgl', 'cpu'] });
    expect(info.name).toBe('cpu');
    expect(info.tried).toEqual([{ name: 'webgl', error: 'WebGL needs a browser' }]);
    expect(info.reason).toBe(
      'asked for: plain JavaScript (slow; for correctness checks); skipped webgl: WebGL needs a browser',
    );
  });

  it('picks the first available in the automatic Node order (tensorflow if set up; no GPU here: else wasm)', async () => {
    const info = await initBackend();
    expect(info.reason).toMatch(/^first available in the node order tensorflow > webgpu > wasm > cpu/);
    if (hasTensorFlow) {
      // A faster backend won: Dawn is not even probed.
      expect(info.name).toBe('tensorflow');
      expect(info.tried).toEqual([]);
    } else {
      expect(info.name).toBe('wasm');
      expect(info.tried.map((t) => t.name)).toEqual(['tensorflow', 'webgpu']);
    }
  });

  it('rejects unknown names', async () => {
    await expect(initBackend({ prefer: 'tpu' as never })).rejects.toThrow(ArgumentError);
    await expect(initBackend({ prefer: [] })).rejects.toThrow(
      "initBackend: 'prefer' is [] but expected one or more of tensorflow, webgpu, webgl, wasm, cpu.",
    );
  });

  it('follows tf.setBackend changes made behind its back', async () => {
    await initBackend({ prefer: 'wasm' });
    await tf.setBackend('cpu');
    expect(backendInfo()).toMatchObject({
      name: 'cpu',
      reason: "set directly with tf.setBackend('cpu') after initBackend chose 'wasm'",
    });
  });

  it('registers gradients', async () => {
    await initBackend({ prefer: 'cpu' });
    const g = tf.grad((x: tf.Tensor) => x.square().sum())(tf.tensor1d([3, -1]));
    expect(Array.from(await g.data())).toEqual([6, -2]);
    g.dispose();
  });
});
