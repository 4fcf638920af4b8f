import { splitKey } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { byolViews } from './byol-views';
import { makeViews } from './make-views';
import { simclrViews } from './simclr-views';

describe('makeViews', () => {
  it('samples and applies each view with split keys', async () => {
    const x = randomImages(1, [4, 30, 30, 3]);
    const recipe = byolViews({ size: 24 });
    const views = makeViews(recipe, key(2), x);
    expect(views).toHaveLength(2);
    expect(views[0]!.shape).toEqual([4, 24, 24, 3]);
    const [k0, k1] = splitKey(key(2), 2);
    const size = { height: 30, width: 30, channels: 3 };
    const manual = tf.tidy(() => [
      recipe.views[0].apply(x, recipe.views[0].sample(k0!, 4, size)),
      recipe.views[1].apply(x, recipe.views[1].sample(k1!, 4, size)),
    ]);
    await expectTensorClose(views[0]!, manual[0]!, { rtol: 0, atol: 0 });
    await expectTensorClose(views[1]!, manual[1]!, { rtol: 0, atol: 0 });
    tf.dispose([x, ...views, ...manual]);
  });

  it('makes two different views of 28x28 grey images with the small SimCLR preset, deterministically', async () => {
    const x = randomImages(3, [6, 28, 28, 1]);
    const recipe = simclrViews({ size: 28, preset: 'small', scale: [0.2, 1] });
    const [a, b] = makeViews(recipe, key(4), x) as [tf.Tensor4D, tf.Tensor4D];
    const [c] = makeViews(recipe, key(4), x) as [tf.Tensor4D, tf.Tensor4D];
    expect(a.shape).toEqual([6, 28, 28, 1]);
    await expectTensorClose(a, c, { rtol: 0, atol: 0 });
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(0.01);
    const range = [tf.min(a).dataSync()[0]!, tf.max(a).dataSync()[0]!];
    expect(range[0]).toBeGreaterThanOrEqual(0);
    expect(range[1]).toBeLessThanOrEqual(1);
    tf.dispose([x, a, b, c]);
  });

  it('validates and does not leak', async () => {
    const x = randomImages(5, [2, 16, 16, 3]);
    const recipe = simclrViews({ size: 16, preset: 'small' });
    expect(() => makeViews({} as never, key(1), x)).toThrow(
      /makeViews: 'recipe' is object but expected \{ views/,
    );
    expect(() => makeViews(recipe, { k0: -1 } as never, x)).toThrow(/makeViews: 'key'/);
    const rank3 = tf.zeros([16, 16, 3]);
    expect(() => makeViews(recipe, key(1), rank3 as tf.Tensor4D)).toThrow(/add a batch dimension/);
    await expectNoLeaks(() => makeViews(recipe, key(6), x));
    tf.dispose([x, rank3]);
  });
});
