import { expectNoLeaks } from '@genoise/vitest';
import { testBackend } from '@genoise/vitest/setup';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend';
import { createKey, splitKey } from './key';
import { bernoulli, normal, permutation, randint, shuffle, uniform } from './random-tensors';
import { uniformValues } from './random-values';

const key = createKey(99);

describe('random tensors', () => {
  afterAll(async () => {
    await initBackend({ prefer: testBackend() });
  });

  it('give shape, dtype and the same values as the JS stream', async () => {
    const u = uniform(key, [2, 3], { min: -1, max: 1 });
    expect(u.shape).toEqual([2, 3]);
    expect(u.dtype).toBe('float32');
    expect(Array.from(await u.data())).toEqual(Array.from(uniformValues(key, 6, -1, 1)));
    const r = randint(key, [4], 0, 10);
    expect(r.dtype).toBe('int32');
    const b = bernoulli(key, [10], 0.5);
    expect(new Set(await b.data()).size).toBeLessThanOrEqual(2);
    tf.dispose([u, r, b]);
  });

  it('give identical values on cpu and wasm for the same key', async () => {
    const draw = async (): Promise<number[][]> => {
      const ts = [
        uniform(key, [3, 5]),
        normal(key, [7]),
        bernoulli(key, [9], 0.2),
        randint(key, [6], -3, 3),
        permutation(key, 8),
      ];
      const values = await Promise.all(ts.map(async (t) => Array.from(await t.data())));
      tf.dispose(ts);
      return values;
    };
    await initBackend({ prefer: 'cpu' });
    const onCpu = await draw();
    await initBackend({ prefer: 'wasm' });
    const onWasm = await draw();
    expect(onWasm).toEqual(onCpu);
  });

  it('shuffle permutes the first axis and leaks nothing', async () => {
    const x = tf.tensor2d([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const [k1] = splitKey(key, 1);
    await expectNoLeaks(() => shuffle(k1!, x));
    const y = shuffle(k1!, x);
    const rows = (await y.array()) as number[][];
    expect(rows.map((r) => r[0]).sort()).toEqual([0, 1, 2, 3]);
    expect(rows.every((r) => r[0] === r[1])).toBe(true);
    expect(() => shuffle(key, tf.scalar(1))).toThrow(
      "shuffle: 'x' is a scalar but expected a tensor of rank >= 1.",
    );
    tf.dispose([x, y]);
  });
});
