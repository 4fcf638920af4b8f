export type { AppliedParams, Augmentation, ImageSize } from './augmentation/augmentation';
export {
  type MeasureViewThroughputOptions,
  measureViewThroughput,
  type RecipeName,
  type ViewThroughput,
} from './bench/measure-view-throughput';
export {
  type ColorJitterOptions,
  type ColorJitterParams,
  colorJitter,
  JITTER_OPS,
  type JitterRange,
} from './color/color-jitter';
export { hsvToRgb } from './color/hsv-to-rgb';
export { type RandomGrayscaleOptions, randomGrayscale } from './color/random-grayscale';
export { rgbToHsv } from './color/rgb-to-hsv';
export { type SolarizeOptions, solarize } from './color/solarize';
export { type PipelineOptions, pipeline } from './compose/pipeline';
export {
  type RandomErasingOptions,
  type RandomErasingParams,
  randomErasing,
} from './erasing/random-erasing';
export { type GaussianBlurOptions, type GaussianBlurParams, gaussianBlur } from './filter/gaussian-blur';
export { type HorizontalFlipOptions, horizontalFlip } from './geometry/horizontal-flip';
export {
  type RandomResizedCropOptions,
  type RandomResizedCropParams,
  randomResizedCrop,
} from './geometry/random-resized-crop';
export { type VerticalFlipOptions, verticalFlip } from './geometry/vertical-flip';
export { type GaussianNoiseOptions, type GaussianNoiseParams, gaussianNoise } from './noise/gaussian-noise';
export { byolViews } from './recipes/byol-views';
export { makeViews } from './recipes/make-views';
export { mocoV2Views } from './recipes/moco-v2-views';
export { type SimclrViewsOptions, simclrViews } from './recipes/simclr-views';
export type { RecipeOptions, RecipePreset, ViewRecipe } from './recipes/view-recipe';
