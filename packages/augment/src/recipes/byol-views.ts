import { colorJitter } from '../color/color-jitter';
import { randomGrayscale } from '../color/random-grayscale';
import { solarize } from '../color/solarize';
import { pipeline } from '../compose/pipeline';
import { gaussianBlur } from '../filter/gaussian-blur';
import { horizontalFlip } from '../geometry/horizontal-flip';
import { randomResizedCrop } from '../geometry/random-resized-crop';
import { blurKernelSize, recipeFlip, recipeSize } from '../internal/recipe';
import type { RecipeOptions, ViewRecipe } from './view-recipe';

/**
 * BYOL's two asymmetric views (Grill et al. 2020, table 6): both random resized crop (area `scale`,
 * default `[0.08, 1]`), horizontal flip p 0.5, colour jitter 0.4/0.4/0.2/0.1 p 0.8, grayscale p 0.2;
 * view 1 Gaussian blur p 1.0 and no solarization, view 2 blur p 0.1 and solarization p 0.2. The
 * `'small'` preset drops the blur (kept: solarization on view 2).
 *
 * @param options.size - output `[height, width]` or one number
 * @param options.preset - `'imagenet'` (default) or `'small'`
 * @param options.scale - crop area range, default `[0.08, 1]`
 * @returns `{ name: 'byol', views: [view1, view2] }`
 * @throws ArgumentError for a bad size, preset or scale
 * @example
 * ```ts
 * const [online, target] = makeViews(byolViews({ size: 96 }), createKey(0), images);
 * ```
 * @see Grill et al. 2020, Bootstrap Your Own Latent, appendix B
 */
export function byolViews(options: RecipeOptions): ViewRecipe {
  const { size, preset } = recipeSize('byolViews', options);
  const { scale = [0.08, 1] } = options;
  const flip = recipeFlip('byolViews', options);
  const kernelSize = blurKernelSize(size);
  const make = (blurP: number, solarizeP: number, name: string) =>
    pipeline(
      [
        randomResizedCrop({ size, scale }),
        horizontalFlip({ p: flip ? 0.5 : 0 }),
        colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.2, hue: 0.1, p: 0.8 }),
        randomGrayscale({ p: 0.2 }),
        ...(preset === 'imagenet' ? [gaussianBlur({ kernelSize, sigma: [0.1, 2], p: blurP })] : []),
        ...(solarizeP > 0 ? [solarize({ threshold: 0.5, p: solarizeP })] : []),
      ],
      { name },
    );
  return { name: 'byol', views: [make(1, 0, 'byolView1'), make(0.1, 0.2, 'byolView2')] };
}
