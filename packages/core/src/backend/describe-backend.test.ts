import { describe, expect, it } from 'vitest';
import { type BackendInfo, describeBackend } from './backend-info';

const base: BackendInfo = {
  name: 'cpu',
  platform: 'node',
  reason: 'a long sentence for --verbose',
  floatPrecision: 32,
  simd: undefined,
  threads: undefined,
  adapter: undefined,
  tried: [],
};

describe('describeBackend', () => {
  it('says the backend and what matters about it in one short line', () => {
    expect(
      describeBackend({
        ...base,
        name: 'tensorflow',
        tensorflow: { version: '2.21.0', package: '@tensorflow/tfjs-node', gpu: false, fixes: [] },
      }),
    ).toBe('backend: tensorflow (TensorFlow 2.21.0, native)');
    expect(
      describeBackend({
        ...base,
        name: 'tensorflow',
        tensorflow: { version: '2.15.1', package: '@tensorflow/tfjs-node-gpu', gpu: true, fixes: [] },
      }),
    ).toBe('backend: tensorflow (TensorFlow 2.15.1, CUDA)');
    expect(describeBackend({ ...base, name: 'wasm', simd: true, threads: 1 })).toBe(
      'backend: wasm (SIMD, 1 thread)',
    );
    expect(describeBackend({ ...base, name: 'wasm', simd: false, threads: 4 })).toBe(
      'backend: wasm (no SIMD, 4 threads)',
    );
    expect(
      describeBackend({
        ...base,
        name: 'webgpu',
        adapter: { description: 'SwiftShader driver', isSoftware: true },
      }),
    ).toBe('backend: webgpu (SwiftShader driver, software)');
    expect(describeBackend({ ...base, name: 'webgl', floatPrecision: 16 })).toBe('backend: webgl (float16)');
    expect(describeBackend(base)).toBe('backend: cpu (plain JavaScript, slow)');
  });

  it('never repeats the long reason', () => {
    expect(describeBackend(base)).not.toContain(base.reason);
  });
});
