import type { Key } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { MethodOptions, TrainConfig } from '../config/train-config';

/** A model whose weights a checkpoint holds under a stable group name. */
export interface NamedModel {
  readonly name: string;
  readonly model: tfl.LayersModel;
}

/** State a method checkpoints besides model weights (a MoCo queue, say). */
export interface ExtraState {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  readonly meta?: Record<string, number>;
}

/** What {@link Method.loss} returns: the scalar the optimizer minimises and its named terms (scalars). */
export interface MethodLoss {
  readonly loss: tf.Scalar;
  /** Named parts of the loss for logs (each a scalar), e.g. `{ appearance, smoothness }`. */
  readonly terms?: Readonly<Record<string, tf.Scalar>>;
}

/** The data a method trains on: anything with a size (`undefined`: an endless stream, example i made from i). */
export interface MethodData {
  readonly size: number | undefined;
}

/**
 * One self-supervised method as the loop drives it — a pair of functions over explicit state, as
 * optax's `GradientTransformation`: each step the loop draws example indices, asks `batch` for the
 * step's inputs (views, pairs, triplets, labels: whatever the method needs), minimises `loss` over
 * `trainableVariables()`, disposes the batch, then calls `afterStep` (EMA targets, queues).
 *
 * @typeParam D - the data it trains on (a `Dataset` of images, stereo pairs, frame triplets)
 * @typeParam B - its batch: a tensor container the loop disposes after the step
 */
export interface Method<
  D extends MethodData = MethodData,
  B extends tf.TensorContainer = tf.TensorContainer,
> {
  /** The registry name, e.g. `'simclr'`. */
  readonly name: string;
  /** Every model whose weights a checkpoint holds, in a fixed order. */
  readonly models: readonly NamedModel[];
  /** The representation evaluation probes (`[B, H, W, C] -> [B, D]`), for methods that learn one. */
  readonly encoder?: tfl.LayersModel | undefined;
  /**
   * How evaluation prepares a batch of the data's images `[B, H, W, C]` for {@link Method.encoder}, when
   * the encoder sees something else (colorization's sees lightness only). Absent: the images as they are.
   */
  encoderInput?(images: tf.Tensor4D): tf.Tensor4D;
  /** The variables the optimizer updates, in a fixed order (the optimizer's state follows it). */
  trainableVariables(): tf.Variable[];
  /** Step `step`'s inputs for the examples `indices` of `data`; `key` is the step's own key. */
  batch(data: D, indices: readonly number[], key: Key, step: number): B;
  /** The loss of a batch, inside the optimizer's tape. */
  loss(batch: B, step: number): MethodLoss;
  /** Runs after each optimizer step (momentum encoders, queues). */
  afterStep?(step: number, totalSteps: number): void;
  /** State besides weights, for checkpoints. */
  readonly state?: {
    save(): Promise<ExtraState[]>;
    restore(state: readonly ExtraState[]): void;
  };
  /** Frees every model and state tensor. */
  dispose(): void;
}

/** What a method's `create` receives. */
export interface MethodContext<D extends MethodData = MethodData, O extends MethodOptions = MethodOptions> {
  /** The resolved run config; `config.method` holds this method's options. */
  readonly config: TrainConfig<O>;
  /** The data it will train on (its image shape sizes the models). */
  readonly data: D;
  /** The key every weight is drawn from (same key, same weights). */
  readonly key: Key;
}
