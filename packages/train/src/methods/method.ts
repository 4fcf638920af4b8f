import type { Key } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainConfig } from '../config/train-config';

/** A model whose weights are checkpointed under a stable group name. */
export interface NamedModel {
  readonly name: string;
  readonly model: tfl.LayersModel;
}

/** Extra state a method checkpoints besides model weights (the MoCo queue). */
export interface ExtraState {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
  readonly meta?: Record<string, number>;
}

/**
 * One self-supervised method, as the training loop drives it. The loop calls `loss` inside
 * `optimizer.minimize` over `trainableVariables()`, then `afterStep` (EMA targets, queue updates).
 */
export interface TrainingMethod {
  readonly name: TrainConfig['method'];
  /** The online encoder: `[B,H,W,C] -> [B,D]`, what evaluation uses. */
  readonly encoder: tfl.LayersModel;
  /** Every model whose weights a checkpoint holds, in a fixed order. */
  readonly models: readonly NamedModel[];
  /** The variables the optimizer updates, in a fixed order (the optimizer's state follows it). */
  trainableVariables(): tf.Variable[];
  /** The method's loss for two augmented views `[B,H,W,C]` of the same images. */
  loss(view1: tf.Tensor4D, view2: tf.Tensor4D, step: number): tf.Scalar;
  /** Runs after each optimizer step (momentum encoders, queues). */
  afterStep(step: number, totalSteps: number): void;
  /** State besides weights, for checkpoints. */
  extraState(): Promise<ExtraState[]>;
  /** Restores what `extraState` returned. */
  restoreExtraState(state: readonly ExtraState[]): void;
  dispose(): void;
}

/** What a method builder receives. */
export interface MethodContext {
  readonly config: TrainConfig;
  readonly imageShape: readonly [number, number, number];
  readonly key: Key;
}
