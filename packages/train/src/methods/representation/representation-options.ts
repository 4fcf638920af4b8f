import { makeViews, type ViewRecipe } from '@genoise/augment';
import { ArgumentError, checkInteger, checkNumber, type Key } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import type * as tf from '@tensorflow/tfjs-core';
import type { MethodOptions, TrainConfig, TrainDefaults } from '../../config/train-config';

/** Which encoder to build (see `@genoise/models`). */
export interface EncoderConfig {
  readonly name: 'small-convnet' | 'resnet18';
  /** small-convnet: channel widths of its stages. */
  readonly widths?: readonly number[];
  /** small-convnet: how each stage halves the resolution (see `smallConvNet`'s `downsampling`). */
  readonly downsampling?: 'maxPool' | 'stride' | 'strideOnly';
  /** resnet18: width multiplier (1 = 64..512 channels). */
  readonly widthMultiplier?: number;
}

/**
 * View augmentation: the recipe preset (`'small'` for 28-32 px data), the crop's area range, and whether
 * views are mirrored (off for data that is not mirror-invariant, such as digits).
 */
export interface ViewOptions {
  readonly preset: 'small' | 'imagenet';
  readonly cropScale: readonly [number, number];
  readonly flip: boolean;
}

/** Options every representation method has: encoder, projection head and views. */
export interface RepresentationOptions extends MethodOptions {
  readonly encoder: EncoderConfig;
  readonly projection: { readonly hiddenDim: number; readonly outputDim: number };
  readonly views: ViewOptions;
}

/** Two augmented views of the same images, `[B, H, W, C]` each. */
export interface TwoViews extends tf.NamedTensorMap {
  readonly view1: tf.Tensor4D;
  readonly view2: tf.Tensor4D;
}

/**
 * Shared defaults of the representation methods, for 28x28 grey images on two CPU cores. Measured on
 * Fashion-MNIST: SimCLR with T 0.2 and Adam 3e-3 on the 16-32-64 convnet gained more over its random
 * init than T 0.5 / 1e-3 or the 32-64-128 net, and downsampling with the stage convs themselves
 * ('strideOnly') makes a step 2.5x cheaper than conv + max-pool, so the same minutes buy 2.5x the steps.
 */
export const REPRESENTATION_OPTIONS = {
  encoder: { name: 'small-convnet', widths: [16, 32, 64], downsampling: 'strideOnly' } as EncoderConfig,
  projection: { hiddenDim: 256, outputDim: 64 },
  views: { preset: 'small', cropScale: [0.2, 1], flip: true } as ViewOptions,
};

/** Shared-field defaults of the representation methods (the budget is each method's). */
export const REPRESENTATION_DEFAULTS: TrainDefaults = {
  batchSize: 256,
  learningRate: 3e-3,
  warmupFraction: 0.05,
  schedule: 'cosine',
  checkpointEvery: 100,
};

/** Throws an ArgumentError from `resolveTrainConfig` naming `field`. */
export function invalid(field: string, expected: string, actual: unknown): never {
  throw new ArgumentError({
    op: 'resolveTrainConfig',
    argument: field,
    expected,
    actual: JSON.stringify(actual),
  });
}

/** Checks that `value` is an integer >= `min` (core's `checkInteger`), naming `field`. */
export function integerOption(value: unknown, field: string, min = 1): void {
  checkInteger(value, { op: 'resolveTrainConfig', arg: field, min });
}

/** Checks that `value` is a finite number in `[min, max)` (or `[min, max]` with `closed`; core's `checkNumber`), naming `field`. */
export function numberOption(
  value: unknown,
  field: string,
  min: number,
  max = Infinity,
  closed = false,
): void {
  checkNumber(value, {
    op: 'resolveTrainConfig',
    arg: field,
    min,
    ...(max === Infinity ? {} : { max, exclusiveMax: !closed }),
  });
}

/** Validates the options all representation methods share, and the batch size (at least 2). */
export function checkRepresentation(config: TrainConfig<RepresentationOptions>): void {
  const m = config.method;
  if (config.batchSize < 2)
    invalid('batchSize', 'at least 2 (a batch must hold two images)', config.batchSize);
  if (m.encoder.name !== 'small-convnet' && m.encoder.name !== 'resnet18')
    invalid('method.encoder.name', "'small-convnet' | 'resnet18'", m.encoder.name);
  integerOption(m.projection.hiddenDim, 'method.projection.hiddenDim');
  integerOption(m.projection.outputDim, 'method.projection.outputDim');
  if (m.views.preset !== 'small' && m.views.preset !== 'imagenet')
    invalid('method.views.preset', "'small' | 'imagenet'", m.views.preset);
  const [lo, hi] = m.views.cropScale;
  if (!(lo! > 0 && hi! <= 1 && lo! <= hi!))
    invalid('method.views.cropScale', '[min, max] with 0 < min <= max <= 1', m.views.cropScale);
  if (typeof m.views.flip !== 'boolean') invalid('method.views.flip', 'a boolean', m.views.flip);
}

/** The architecture fields a resumed representation run must share with its checkpoint. */
export function representationIdentity(options: RepresentationOptions): unknown {
  return [options.encoder, options.projection];
}

/** The view recipe's options for images of `imageShape`. */
export function viewRecipeOptions(options: RepresentationOptions, imageShape: readonly number[]) {
  return {
    size: [imageShape[0]!, imageShape[1]!] as [number, number],
    preset: options.views.preset,
    scale: [...options.views.cropScale] as [number, number],
    flip: options.views.flip,
  };
}

/** Two views of the images `indices` of `data`, drawn from `key` (`makeViews`). */
export function twoViews(recipe: ViewRecipe, data: Dataset, indices: readonly number[], key: Key): TwoViews {
  const images = data.images(indices);
  const [view1, view2] = makeViews(recipe, key, images) as [tf.Tensor4D, tf.Tensor4D];
  images.dispose();
  return { view1, view2 };
}
