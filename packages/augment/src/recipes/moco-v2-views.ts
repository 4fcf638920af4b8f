import { colorJitter } from '../color/color-jitter';
import { randomGrayscale } from '../color/random-grayscale';
import { pipeline } from '../compose/pipeline';
import { gaussianBlur } from '../filter/gaussian-blur';
import { horizontalFlip } from '../geometry/horizontal-flip';
import { randomResizedCrop } from '../geometry/random-resized-crop';
import { blurKernelSize, recipeFlip, recipeSize } from '../internal/recipe';
import type { RecipeOptions, ViewRecipe } from './view-recipe';

/**
 * MoCo v2's augmentation, the same pipeline for both views (facebookresearch/moco `main_moco.py
 * --aug-plus`): random resized crop (area `scale`, default `[0.2, 1]`), colour jitter 0.4/0.4/0.4/0.1
 * p 0.8, grayscale p 0.2, Gaussian blur p 0.5 with sigma `[0.1, 2]` (`'imagenet'` preset only), then
 * horizontal flip p 0.5.
 *
 * @param options.size - output `[height, width]` or one number
 * @param options.preset - `'imagenet'` (default) or `'small'` (no blur)
 * @param options.scale - crop area range, default `[0.2, 1]`
 * @returns `{ name: 'mocoV2', views: [view, view] }`
 * @throws ArgumentError for a bad size, preset or scale
 * @example
 * ```ts
 * const [query, key] = makeViews(mocoV2Views({ size: 32, preset: 'small' }), createKey(0), images);
 * ```
 * @see Chen et al. 2020, Improved Baselines with Momentum Contrastive Learning
 */
export function mocoV2Views(options: RecipeOptions): ViewRecipe {
  const { size, preset } = recipeSize('mocoV2Views', options);
  const { scale = [0.2, 1] } = options;
  const flip = recipeFlip('mocoV2Views', options);
  const view = pipeline(
    [
      randomResizedCrop({ size, scale }),
      colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, p: 0.8 }),
      randomGrayscale({ p: 0.2 }),
      ...(preset === 'imagenet'
        ? [gaussianBlur({ kernelSize: blurKernelSize(size), sigma: [0.1, 2], p: 0.5 })]
        : []),
      horizontalFlip({ p: flip ? 0.5 : 0 }),
    ],
    { name: 'mocoV2View' },
  );
  return { name: 'mocoV2', views: [view, view] };
}
