import { ArgumentError, foldIn, normalValues } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { denoisingTask } from './denoising-task';

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('denoisingTask', () => {
  it('masking noise zeroes exactly round(level * d) components per image and keeps the rest', async () => {
    const x = tf.tidy(() => tf.add(randomImages(1, [3, 5, 4, 2]), 0.01)); // no zeros in the clean images
    const { inputs, targets, corrupted } = denoisingTask(key(0), x, { level: 0.3 });
    const [xi, xo, m, t] = await Promise.all([values(x), values(inputs), values(corrupted), values(targets)]);
    expect(t).toEqual(xi);
    for (let b = 0; b < 3; b++) {
      let count = 0;
      for (let i = b * 40; i < (b + 1) * 40; i++) {
        if (m[i] === 1) {
          count++;
          expect(xo[i]).toBe(0);
        } else expect(xo[i]).toBe(xi[i]);
      }
      expect(count).toBe(12); // round(0.3 * 5 * 4 * 2)
    }
    tf.dispose([x, inputs, targets, corrupted]);
  });

  it("salt-and-pepper writes 0 or 1 on the chosen components; 'bernoulli' draws each with probability level", async () => {
    const x = tf.fill([2, 20, 20, 1], 0.5) as tf.Tensor4D;
    const sp = denoisingTask(key(1), x, { corruption: 'salt-and-pepper', level: 0.2 });
    const [xo, m] = await Promise.all([values(sp.inputs), values(sp.corrupted)]);
    let ones = 0;
    xo.forEach((v, i) => {
      if (m[i] === 1) {
        expect([0, 1]).toContain(v);
        ones += v;
      } else expect(v).toBe(0.5);
    });
    expect(m.reduce((a, v) => a + v, 0)).toBe(160);
    expect(ones).toBeGreaterThan(50); // about half of the 160 are salt
    expect(ones).toBeLessThan(110);
    const bern = denoisingTask(key(1), x, { level: 0.2, sampling: 'bernoulli' });
    const hits = (await values(bern.corrupted)).reduce((a, v) => a + v, 0);
    expect(hits).toBeGreaterThan(800 * 0.2 - 4 * Math.sqrt(800 * 0.16));
    expect(hits).toBeLessThan(800 * 0.2 + 4 * Math.sqrt(800 * 0.16));
    tf.dispose([x, sp.inputs, sp.targets, sp.corrupted, bern.inputs, bern.targets, bern.corrupted]);
  });

  it('Gaussian noise adds level * z with z drawn per image from foldIn(key, b); clip on request', async () => {
    const x = randomImages(2, [2, 3, 3, 1]);
    const out = denoisingTask(key(3), x, { corruption: 'gaussian', level: 0.5 });
    const xi = await values(x);
    const expected = [0, 1].flatMap((b) =>
      Array.from(normalValues(foldIn(key(3), b), 9, 0, 0.5), (z, i) => xi[b * 9 + i]! + z),
    );
    await expectTensorClose(out.inputs, tf.tensor(expected, [2, 3, 3, 1]));
    const clipped = denoisingTask(key(3), x, { corruption: 'gaussian', level: 0.5, clip: true });
    await expectTensorClose(
      clipped.inputs,
      tf.tensor(
        expected.map((v) => Math.min(1, Math.max(0, v))),
        [2, 3, 3, 1],
      ),
    );
    tf.dispose([
      x,
      out.inputs,
      out.targets,
      out.corrupted,
      clipped.inputs,
      clipped.targets,
      clipped.corrupted,
    ]);
  });

  it('is deterministic per sample: the first image is corrupted alike in a batch of 1 or 3', async () => {
    const x = randomImages(4, [3, 4, 4, 1]);
    const first = tf.slice(x, [0], [1]);
    const a = denoisingTask(key(5), x);
    const b = denoisingTask(key(5), first);
    expect((await values(a.inputs)).slice(0, 16)).toEqual(await values(b.inputs));
    tf.dispose([x, first, a.inputs, a.targets, a.corrupted, b.inputs, b.targets, b.corrupted]);
  });

  it('refuses bad corruptions and levels', () => {
    const x = tf.zeros([1, 2, 2, 1]);
    expect(() => denoisingTask(key(0), x, { corruption: 'blur' as 'masking' })).toThrow(ArgumentError);
    expect(() => denoisingTask(key(0), x, { level: 1.5 })).toThrow(
      "denoisingTask: 'level' is 1.5 but expected a finite number >= 0 and <= 1.",
    );
    expect(() => denoisingTask(key(0), x, { corruption: 'gaussian', level: -1 })).toThrow(ArgumentError);
    expect(() => denoisingTask(key(0), tf.zeros([2, 2, 1]) as never)).toThrow(/rank 3/);
    x.dispose();
  });

  it('leaks nothing', async () => {
    const x = randomImages(6, [2, 4, 4, 3]);
    for (const corruption of ['masking', 'gaussian', 'salt-and-pepper'] as const) {
      await expectNoLeaks(() => denoisingTask(key(1), x, { corruption }));
    }
    x.dispose();
  });
});
