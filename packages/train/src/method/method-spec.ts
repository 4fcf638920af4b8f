import { createKey, type Key, splitKey } from '@genoise/core';
import type { MethodOptions, TrainConfig, TrainDefaults } from '../config/train-config';
import type { Method, MethodContext, MethodData } from './method';

/**
 * What a method learns, which decides the data it trains on, how it is evaluated and what its report
 * shows: `'representation'` methods learn an image encoder (evaluated by kNN and linear probes),
 * `'depth'` methods a depth network (evaluated by depth metrics against ground truth), `'scene-flow'`
 * methods disparity and 3-D motion (evaluated by D1, D2, Fl, SF1 and the 3-D end-point error).
 */
export type MethodTask = 'representation' | 'depth' | 'flow' | 'scene-flow';

/** The data a method trains on: labelled or unlabelled images, rectified stereo pairs, frame triplets, frame pairs, stereo videos. */
export type MethodDataKind = 'images' | 'stereo-pairs' | 'frame-triplets' | 'frame-pairs' | 'stereo-video';

/** The three independent keys of a run, all from its seed. */
export interface RunKeys {
  /** Weight initialisation. */
  readonly initKey: Key;
  /** Data order, folded with the epoch. */
  readonly orderKey: Key;
  /** Per-step randomness (views, loss noise), folded with the step. */
  readonly stepKey: Key;
}

/**
 * The key layout of most methods: `[initKey, stepKey, orderKey] = splitKey(createKey(seed), 3)`, so
 * `create({ config, data, key: runKeys(config.seed).initKey })` rebuilds a run's models exactly as
 * they were before training.
 */
export function runKeys(seed: number): RunKeys {
  const [initKey, stepKey, orderKey] = splitKey(createKey(seed), 3) as [Key, Key, Key];
  return { initKey, orderKey, stepKey };
}

/**
 * One method's entry in the registry: its name and one-line summary (help text, menus), what it learns
 * and trains on, its defaults (shared fields such as the batch size and budget, and its own options),
 * the validation of its options, the fields a resumed run must match, and `create`.
 *
 * @typeParam O - its options, `config.method`
 */
export interface MethodSpec<O extends MethodOptions = MethodOptions, D extends MethodData = MethodData> {
  readonly name: O['name'];
  /** One line for help text and menus. */
  readonly summary: string;
  /** The paper, for reports. */
  readonly paper: string;
  readonly task: MethodTask;
  readonly data: MethodDataKind;
  /** The image channels it needs (colorization: 3), when it cannot train on others. */
  readonly imageChannels?: number;
  /** The dataset the trainer uses when none is named (default: the task's, Fashion-MNIST for representations). */
  readonly defaultData?: string;
  /**
   * Shared fields this method sets differently from the loop's defaults. `steps` is its default budget:
   * what the trainer runs in about ten minutes on two CPU cores.
   */
  readonly defaults: TrainDefaults;
  /**
   * Default budgets on faster backends, by backend name (e.g. `{ tensorflow: 4000 }`): the steps that fit
   * the same ten minutes there. `defaults.steps` is the budget everywhere else (wasm).
   */
  readonly budgets?: Readonly<Partial<Record<string, number>>>;
  /** Its own options with their defaults (without `name`). */
  readonly options: Omit<O, 'name'>;
  /** Throws an ArgumentError naming `method.<field>` when a merged option (or a shared field it constrains) is invalid. */
  validate(config: TrainConfig<O>): void;
  /** The options a resumed run must share with its checkpoint (architecture, mostly). */
  identity(options: O): unknown;
  /** Its key layout (default {@link runKeys}). */
  keys?(seed: number): RunKeys;
  /** Builds the method with fresh weights from `context.key`. */
  create(context: MethodContext<D, O>): Promise<Method<D>>;
}
