import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { rotate90 } from './rotate90';
import { rotationTask } from './rotation-task';

async function rowOf(t: tf.Tensor, i: number): Promise<number[]> {
  const row = tf.gather(t, [i]);
  const out = Array.from(await row.data());
  row.dispose();
  return out;
}

describe('rotationTask', () => {
  it("'all' puts the four rotations of each image side by side, labels 0..3", async () => {
    const x = randomImages(1, [3, 5, 5, 2]);
    const { inputs, targets } = rotationTask(key(0), x);
    expect(inputs.shape).toEqual([12, 5, 5, 2]);
    expect(targets.dtype).toBe('int32');
    expect(Array.from(await targets.data())).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    for (let b = 0; b < 3; b++)
      for (let k = 0; k < 4; k++) {
        const one = tf.gather(x, [b]);
        const turned = rotate90(one, k);
        expect(await rowOf(inputs, 4 * b + k)).toEqual(Array.from(await turned.data()));
        tf.dispose([one, turned]);
      }
    tf.dispose([x, inputs, targets]);
  });

  it("'random' draws one rotation per image from the key, deterministically", async () => {
    const x = randomImages(2, [16, 4, 4, 1]);
    const a = rotationTask(key(5), x, { mode: 'random' });
    const b = rotationTask(key(5), x, { mode: 'random' });
    const c = rotationTask(key(6), x, { mode: 'random' });
    expect(a.inputs.shape).toEqual([16, 4, 4, 1]);
    const labels = Array.from(await a.targets.data());
    expect(labels).toEqual(Array.from(await b.targets.data()));
    expect(labels).not.toEqual(Array.from(await c.targets.data()));
    expect(new Set(labels).size).toBe(4); // 16 draws of 4 labels: all appear for this key
    for (let i = 0; i < 16; i++) {
      const one = tf.gather(x, [i]);
      const turned = rotate90(one, labels[i]!);
      expect(await rowOf(a.inputs, i)).toEqual(Array.from(await turned.data()));
      tf.dispose([one, turned]);
    }
    x.dispose();
    tf.dispose([a.inputs, a.targets, b.inputs, b.targets, c.inputs, c.targets]);
  });

  it('refuses non-square images, bad modes and bad keys', () => {
    const x = tf.zeros([2, 4, 5, 1]);
    expect(() => rotationTask(key(0), x)).toThrow(ShapeError);
    expect(() => rotationTask(key(0), x)).toThrow(
      "rotationTask: 'images' has shape [2,4,5,1] but expected square images [B,H,H,C]",
    );
    const y = tf.zeros([2, 4, 4, 1]);
    expect(() => rotationTask(key(0), y, { mode: 'some' as 'all' })).toThrow(ArgumentError);
    expect(() => rotationTask({} as never, y)).toThrow(ArgumentError);
    tf.dispose([x, y]);
  });

  it('leaks nothing', async () => {
    const x = randomImages(3, [2, 4, 4, 3]);
    await expectNoLeaks(() => rotationTask(key(1), x));
    await expectNoLeaks(() => rotationTask(key(1), x, { mode: 'random' }));
    x.dispose();
  });
});
