import { checkNumber } from '@genoise/core';
import { colorJitter } from '../color/color-jitter';
import { randomGrayscale } from '../color/random-grayscale';
import { pipeline } from '../compose/pipeline';
import { gaussianBlur } from '../filter/gaussian-blur';
import { horizontalFlip } from '../geometry/horizontal-flip';
import { randomResizedCrop } from '../geometry/random-resized-crop';

import { blurKernelSize, recipeFlip, recipeSize } from '../internal/recipe';
import type { RecipeOptions, ViewRecipe } from './view-recipe';

/** Options of {@link simclrViews}. */
export interface SimclrViewsOptions extends RecipeOptions {
  /** Colour distortion strength `s`. Default 1 (`'imagenet'`), 0.5 (`'small'`). */
  readonly strength?: number;
}

/**
 * SimCLR's augmentation, the same pipeline for both views (google-research/simclr `data_util.py`,
 * torchvision semantics): random resized crop (area `scale`, default `[0.08, 1]`, aspect `[3/4, 4/3]`),
 * horizontal flip p 0.5, colour jitter (brightness, contrast, saturation `0.8 s`, hue `0.2 s`) p 0.8 in
 * random order, grayscale p 0.2, and with the `'imagenet'` preset Gaussian blur p 0.5, sigma
 * `[0.1, 2]`, kernel about a tenth of the side. `'small'` (28-32 px): `s = 0.5`, no blur.
 *
 * @param options.size - output `[height, width]` or one number
 * @param options.preset - `'imagenet'` (default) or `'small'`
 * @param options.scale - crop area range, default `[0.08, 1]`
 * @param options.strength - colour strength `s >= 0`, default 1 (`'small'`: 0.5)
 * @returns `{ name: 'simclr', views: [view, view] }`
 * @throws ArgumentError for a bad size, preset, scale or strength
 * @example
 * ```ts
 * const recipe = simclrViews({ size: 28, preset: 'small', scale: [0.2, 1] });
 * const [a, b] = makeViews(recipe, createKey(0), images); // two [B, 28, 28, C] views
 * ```
 * @see Chen et al. 2020, A Simple Framework for Contrastive Learning of Visual Representations, appendix A
 */
export function simclrViews(options: SimclrViewsOptions): ViewRecipe {
  const { size, preset } = recipeSize('simclrViews', options);
  const { scale = [0.08, 1] } = options;
  const flip = recipeFlip('simclrViews', options);
  const s = options.strength ?? (preset === 'small' ? 0.5 : 1);
  checkNumber(s, { op: 'simclrViews', arg: 'strength', min: 0 });
  const view = pipeline(
    [
      randomResizedCrop({ size, scale }),
      horizontalFlip({ p: flip ? 0.5 : 0 }),
      colorJitter({
        brightness: 0.8 * s,
        contrast: 0.8 * s,
        saturation: 0.8 * s,
        hue: Math.min(0.5, 0.2 * s),
        p: 0.8,
      }),
      randomGrayscale({ p: 0.2 }),
      ...(preset === 'imagenet'
        ? [gaussianBlur({ kernelSize: blurKernelSize(size), sigma: [0.1, 2], p: 0.5 })]
        : []),
    ],
    { name: 'simclrView' },
  );
  return { name: 'simclr', views: [view, view] };
}
