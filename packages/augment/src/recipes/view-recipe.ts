import type { Augmentation } from '../augmentation/augmentation';

/** Two augmentations that make the two views of a joint-embedding method (identical for SimCLR). */
export interface ViewRecipe {
  /** The method, e.g. `'simclr'`. */
  readonly name: string;
  /** The augmentation of each view. */
  readonly views: readonly [Augmentation, Augmentation];
}

/**
 * `'imagenet'`: the published ImageNet recipe (blur on). `'small'`: for 28-32 px images such as CIFAR
 * and Fashion-MNIST (SimCLR's CIFAR recipe: colour strength 0.5, no blur).
 */
export type RecipePreset = 'imagenet' | 'small';

/** Options shared by {@link simclrViews}, {@link byolViews} and {@link mocoV2Views}. */
export interface RecipeOptions {
  /** Output size of the views, `[height, width]` or one number. Required. */
  readonly size: number | readonly [number, number];
  /** `'imagenet'` or `'small'` (28-32 px images). Default `'imagenet'`. */
  readonly preset?: RecipePreset;
  /**
   * Crop area range, overriding the recipe's (SimCLR and BYOL `[0.08, 1]`, MoCo v2 `[0.2, 1]`);
   * `[0.2, 1]` or `[0.3, 1]` works better on 28x28 grey images at short training budgets.
   */
  readonly scale?: readonly [number, number];
  /**
   * Random horizontal flips (p 0.5, as published). Default true; turn them off for data that is not
   * mirror-invariant, such as digits or text (a flipped 2 is not a 2).
   */
  readonly flip?: boolean;
}
