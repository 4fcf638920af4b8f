import { type Key, splitKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { trainableVariables } from '@genoise/models';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainConfig, TrainDefaults } from '../../config/train-config';
import type { Method, MethodLoss, NamedModel } from '../../method/method';
import type { MethodSpec } from '../../method/method-spec';
import { buildEncoder } from '../representation/backbone';
import {
  checkPretext,
  imagesAt,
  PRETEXT_DEFAULTS,
  PRETEXT_OPTIONS,
  type PretextOptions,
  pretextIdentity,
} from './pretext-options';

/** What `build` receives: the run's options, the data, the encoder (built) and the head's key. */
export interface PretextContext<O extends PretextOptions> {
  readonly options: O;
  readonly data: Dataset;
  readonly encoder: tfl.LayersModel;
  readonly key: Key;
}

/** A pretext task on an encoder: the head trained with it, how a batch is made, and the loss. */
export interface PretextTask<B extends tf.NamedTensorMap> {
  /** The head (or decoder) trained with the encoder, under its checkpoint name. */
  readonly head: NamedModel;
  /** The side the data's images are resized to before {@link PretextTask.batch} (default: their own size). */
  readonly imageSize?: number;
  /** What evaluation feeds the encoder, when it sees something else than the images (see `Method.encoderInput`). */
  encoderInput?(images: tf.Tensor4D): tf.Tensor4D;
  /** The step's batch from the examples' images `[B, S, S, C]` (the builder disposes them) and the step's key. */
  batch(images: tf.Tensor4D, key: Key): B;
  /** The loss of a batch, inside the optimizer's tape. */
  loss(batch: B): MethodLoss;
  /** Frees what the task holds (default: `head.model.dispose()`); the builder disposes the encoder. */
  dispose?(): void;
}

/**
 * A pretext method's own part of its spec; {@link pretextMethod} adds what every pretext method shares.
 *
 * @typeParam O - its options
 * @typeParam B - its batch
 */
export interface PretextMethodSpec<O extends PretextOptions, B extends tf.NamedTensorMap>
  extends Pick<
    MethodSpec<O, Dataset>,
    'name' | 'summary' | 'paper' | 'imageChannels' | 'defaultData' | 'budgets'
  > {
  /** Shared fields it sets differently from `PRETEXT_DEFAULTS` (its batch size and budget). */
  readonly defaults: TrainDefaults;
  /** Its own options with their defaults (the encoder's are shared). */
  readonly options: Omit<O, 'name' | 'encoder'>;
  /** Validates its own options, after the shared checks (`checkPretext`). */
  validate?(config: TrainConfig<O>): void;
  /** The fields a resumed run must share with its checkpoint besides the encoder. */
  identity(options: O): readonly unknown[];
  /** The encoder's input shape for the data (default its image shape); throws when the data does not fit. */
  encoderShape?(data: Dataset): readonly [number, number, number];
  /** Builds the head and the task on the encoder, the head's weights from `context.key`. */
  build(context: PretextContext<O>): PretextTask<B>;
}

/**
 * A pretext method's registry spec from its task: a representation method on images with the shared
 * encoder (`[encoderKey, headKey] = splitKey(key, 2)`), defaults and checks; its models are the encoder
 * and the task's head; a step's images are `imagesAt(data, indices, task.imageSize)`.
 *
 * @example
 * ```ts
 * export const rotation = pretextMethod<RotationOptions, RotationBatch>({
 *   name: 'rotation', summary: '...', paper: '...',
 *   defaults: { batchSize: 64, steps: 600 },
 *   options: { mode: 'all', hidden: [] },
 *   identity: (o) => [o.hidden],
 *   build({ options, encoder, key }) {
 *     const head = classifierHead({ inputDim: featureDim(encoder), hidden: options.hidden, classes: 4, key, name: 'rotation_head' });
 *     return {
 *       head: { name: 'head', model: head },
 *       batch: (images, stepKey) => rotationTask(stepKey, images, { mode: options.mode }),
 *       loss: ({ inputs, targets }) => classification(head.apply(encode(encoder, inputs)) as tf.Tensor2D, targets),
 *     };
 *   },
 * });
 * ```
 */
export function pretextMethod<O extends PretextOptions, B extends tf.NamedTensorMap>(
  spec: PretextMethodSpec<O, B>,
): MethodSpec<O, Dataset> {
  const { defaults, options, validate, identity, encoderShape, build, ...described } = spec;
  return {
    ...described,
    task: 'representation',
    data: 'images',
    defaults: { ...PRETEXT_DEFAULTS, ...defaults },
    options: { ...PRETEXT_OPTIONS, ...options } as unknown as Omit<O, 'name'>,
    validate(config) {
      checkPretext(config);
      validate?.(config);
    },
    identity: (o) => [pretextIdentity(o), ...identity(o)],
    async create({ config, data, key }) {
      const options = config.method;
      const inputShape = encoderShape?.(data) ?? data.imageShape;
      const [encoderKey, headKey] = splitKey(key, 2);
      const encoder = buildEncoder(options, inputShape, encoderKey!);
      const task = build({ options, data, encoder, key: headKey! });
      const method: Method<Dataset, B> = {
        name: spec.name,
        encoder,
        ...(task.encoderInput ? { encoderInput: task.encoderInput } : {}),
        models: [{ name: 'encoder', model: encoder }, task.head],
        trainableVariables: () => trainableVariables(encoder, task.head.model),
        batch(images, indices, stepKey) {
          const x = imagesAt(images, indices, task.imageSize);
          const batch = task.batch(x, stepKey);
          x.dispose();
          return batch;
        },
        loss: (batch) => task.loss(batch),
        dispose() {
          if (task.dispose) task.dispose();
          else task.head.model.dispose();
          encoder.dispose();
        },
      };
      return method;
    },
  };
}
