import { ArgumentError, checkBoolean, checkInteger, checkOneOf } from '@genoise/core';
import type { RecipeOptions, RecipePreset } from '../recipes/view-recipe';

/** Validated `[height, width]` and preset of recipe options. */
export function recipeSize(
  op: string,
  options: RecipeOptions,
): { size: [number, number]; preset: RecipePreset } {
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError({
      op,
      argument: 'options',
      expected: '{ size, preset?, scale? }',
      actual: String(options),
    });
  }
  const { size, preset = 'imagenet' } = options;
  const [height, width] = typeof size === 'number' ? [size, size] : Array.isArray(size) ? size : [];
  checkInteger(height, { op, arg: 'size', min: 1 });
  checkInteger(width, { op, arg: 'size', min: 1 });
  checkOneOf(preset, ['imagenet', 'small'], { op, arg: 'preset' });
  return { size: [height as number, width as number], preset };
}

/**
 * SimCLR's blur kernel: `k = 2 floor(floor(side / 10) / 2) + 1` (about a tenth of the side, odd),
 * as google-research/simclr `data_util.py` computes it (23 px at 224, 9 px at 96).
 */
export function blurKernelSize([height, width]: readonly [number, number]): number {
  const side = Math.min(height, width);
  return 2 * Math.floor(Math.floor(side / 10) / 2) + 1;
}

/** The recipe's `flip` option (default true), checked to be a boolean. */
export function recipeFlip(op: string, options: RecipeOptions): boolean {
  const { flip = true } = options;
  checkBoolean(flip, { op, arg: 'flip' });
  return flip;
}
