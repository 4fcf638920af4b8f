import { expectNoLeaks } from '@genoise/vitest';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendInfo } from './init-backend';
import { hasInt32RoundBug, parseTensorFlowVersion, registerTensorFlowFixes } from './tensorflow-fixes';

describe('TensorFlow versions', () => {
  it('parses major.minor.patch, with or without a suffix', () => {
    expect(parseTensorFlowVersion('2.21.0')).toEqual([2, 21, 0]);
    expect(parseTensorFlowVersion('2.17.0-rc1')).toEqual([2, 17, 0]);
    expect(parseTensorFlowVersion('2.9')).toEqual([2, 9, 0]);
    expect(parseTensorFlowVersion('nightly')).toBeUndefined();
  });

  it('knows which versions return zeros for int32 Round (tensorflow/tensorflow#74789)', () => {
    expect(hasInt32RoundBug('2.9.1')).toBe(false); // libtensorflow of tfjs-node's own install
    expect(hasInt32RoundBug('2.16.2')).toBe(false);
    expect(hasInt32RoundBug('2.17.0')).toBe(true);
    expect(hasInt32RoundBug('2.21.0')).toBe(true);
    expect(hasInt32RoundBug('3.0.0')).toBe(true);
    expect(hasInt32RoundBug(undefined)).toBe(true); // unknown: the fix is exact anyway
  });

  it('registers nothing for a version without the bug', () => {
    expect(registerTensorFlowFixes('2.9.1')).toEqual([]);
  });
});

describe('round', () => {
  // On every backend; on TensorFlow >= 2.17 this is what the int32 Round fix makes true. (WebGPU rounds
  // int32 through float32, so the largest value is one float32 holds exactly: 2^24.)
  it('is the identity on int32 and rounds half to even on float32', async () => {
    await expectNoLeaks(async () => {
      const ints = tf.tensor1d([-7, -1, 0, 3, 16777216], 'int32');
      const r = tf.round(ints);
      expect(r.dtype).toBe('int32');
      expect(Array.from(await r.data())).toEqual([-7, -1, 0, 3, 16777216]);
      const floats = tf.tensor1d([0.5, 1.5, 2.5, -0.5, -1.7, 2.2]);
      const f = tf.round(floats);
      // + 0 turns -0 (cpu, wasm) and 0 (TensorFlow) for round(-0.5) into the same number.
      expect(Array.from(await f.data(), (v) => v + 0)).toEqual([0, 2, 2, 0, -2, 2]);
      tf.dispose([ints, r, floats, f]);
    });
  });
});

describe.runIf(testBackend() === ('tensorflow' as string))('on the tensorflow backend', () => {
  it("reports TensorFlow's version and the fixes genoise registered", () => {
    const info = backendInfo();
    expect(info.name).toBe('tensorflow');
    expect(info.tensorflow?.version).toMatch(/^\d+\.\d+/);
    expect(info.tensorflow?.package).toMatch(/^@tensorflow\/tfjs-node(-gpu)?$/);
    const expected = hasInt32RoundBug(info.tensorflow?.version) ? ['int32 Round -> Identity'] : [];
    expect(info.tensorflow?.fixes).toEqual(expected);
    // Idempotent: a second registration keeps one wrapper.
    expect(registerTensorFlowFixes(info.tensorflow?.version)).toEqual(expected);
  });
});
