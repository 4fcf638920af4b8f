import { ArgumentError, checkImages, checkKey, defineOp, type Key, splitKey } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ViewRecipe } from './view-recipe';

/**
 * Samples and applies every view of a recipe to a batch, in one tidy scope:
 * `views[i] = recipe.views[i].apply(images, recipe.views[i].sample(splitKey(key, n)[i], B, size))`.
 *
 * @param recipe - a {@link ViewRecipe}, e.g. from {@link simclrViews}
 * @param key - PRNG key; the same key gives the same views on every backend
 * @param images - float32 `[B, H, W, C]` in [0, 1]
 * @returns one float32 tensor `[B, H', W', C]` per view, owned by the caller
 * @throws ArgumentError for a bad recipe or key; ShapeError/DTypeError for bad images
 * @example
 * ```ts
 * const [a, b] = makeViews(simclrViews({ size: 32, preset: 'small' }), foldIn(runKey, step), images);
 * ```
 */
export const makeViews = defineOp(
  'makeViews',
  (recipe: ViewRecipe, key: Key, images: tf.Tensor4D): tf.Tensor4D[] => {
    if (
      typeof recipe !== 'object' ||
      recipe === null ||
      !Array.isArray(recipe.views) ||
      (recipe.views as readonly unknown[]).length === 0
    ) {
      throw new ArgumentError({
        op: 'makeViews',
        argument: 'recipe',
        expected: '{ views: [Augmentation, ...] } such as simclrViews({ size })',
        actual: recipe === null ? 'null' : typeof recipe,
      });
    }
    checkKey(key, 'makeViews');
    const dims = checkImages(images, { op: 'makeViews', arg: 'images', channels: [1, 3] });
    const size = { height: dims.get('H')!, width: dims.get('W')!, channels: dims.get('C')! };
    const batch = dims.get('B')!;
    const keys = splitKey(key, recipe.views.length);
    return recipe.views.map((view, i) => view.apply(images, view.sample(keys[i]!, batch, size)));
  },
);
