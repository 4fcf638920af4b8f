import {
  ArgumentError,
  checkBoolean,
  checkInteger,
  checkKey,
  checkOptions,
  foldIn,
  type Key,
  permutationValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../dataset/dataset';
import { checkDataset } from '../dataset/subset';

import { scheduleTask } from '../internal/schedule';

/** One batch from {@link batches}. The consumer owns and disposes `images` and `labels`. */
export interface Batch {
  /** Float32 `[batch, H, W, C]` in [0, 1]. */
  readonly images: tf.Tensor4D;
  /** Int32 `[batch]` labels when `withLabels` is true, else `undefined`. */
  readonly labels: tf.Tensor1D | undefined;
  /** The dataset indices of the batch's examples. */
  readonly indices: Int32Array;
  /** The batch's index within its epoch, from 0. */
  readonly step: number;
  /** The batch's epoch. */
  readonly epoch: number;
}

/** Options of {@link batches}. */
export interface BatchesOptions {
  /** Examples per batch, a positive integer. */
  readonly batchSize: number;
  /** The key of the shuffle order; required when `shuffle` is true. */
  readonly key?: Key | undefined;
  /** Visit examples in a keyed permutation per epoch, `permutation(foldIn(key, epoch))`. Default `true`. */
  readonly shuffle?: boolean;
  /** Drop the last, smaller batch of an epoch. Default `true`. */
  readonly dropLast?: boolean;
  /** The first epoch, an integer >= 0. Default `0`. */
  readonly epoch?: number;
  /** How many epochs to run from `epoch`, a positive integer or `Infinity`. Default `1`. */
  readonly epochs?: number;
  /** Batches assembled ahead of the one handed out (as Float32Arrays, not tensors). Default `2`; `0` turns it off. */
  readonly prefetch?: number;
  /** Also hand out `labels` (the dataset must have labels). Default `false`. */
  readonly withLabels?: boolean;
  /** The step within the first epoch to start at; earlier steps are skipped without decoding. Default `0`. */
  readonly startStep?: number;
}

/**
 * The number of batches in one epoch of {@link batches}: `floor(size / batchSize)` with `dropLast`,
 * else `ceil(size / batchSize)`. With it, a global step `s` resumes as
 * `{ epoch: floor(s / steps), startStep: s % steps }`.
 *
 * @param size - examples in the dataset, an integer >= 0
 * @param batchSize - examples per batch, an integer >= 1
 * @param dropLast - whether the last short batch is dropped (as in {@link BatchesOptions})
 * @returns the batches per epoch
 * @throws ArgumentError when `size` or `batchSize` is not such an integer
 * @example
 * ```ts
 * stepsPerEpoch(60000, 256, true); // 234
 * ```
 */
export function stepsPerEpoch(size: number, batchSize: number, dropLast = true): number {
  checkInteger(size, { op: 'stepsPerEpoch', arg: 'size', min: 0 });
  checkInteger(batchSize, { op: 'stepsPerEpoch', arg: 'batchSize', min: 1 });
  checkBoolean(dropLast, { op: 'stepsPerEpoch', arg: 'dropLast' });
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

interface Plan {
  readonly indices: Int32Array;
  readonly step: number;
  readonly epoch: number;
}

interface Assembled extends Plan {
  readonly pixels: Float32Array | undefined;
  readonly labels: Int32Array | undefined;
}

interface Settings {
  readonly batchSize: number;
  readonly key: Key | undefined;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly epoch: number;
  readonly epochs: number;
  readonly prefetch: number;
  readonly withLabels: boolean;
  readonly startStep: number;
}

const OP = 'batches';

function checkSettings(dataset: Dataset, options: BatchesOptions): Settings {
  checkOptions(
    options,
    ['batchSize', 'key', 'shuffle', 'dropLast', 'epoch', 'epochs', 'prefetch', 'withLabels', 'startStep'],
    { op: OP },
  );
  const { batchSize, key, shuffle = true, dropLast = true, epoch = 0, epochs = 1 } = options;
  const { prefetch = 2, withLabels = false, startStep = 0 } = options;
  checkInteger(batchSize, { op: OP, arg: 'batchSize', min: 1 });
  checkBoolean(shuffle, { op: OP, arg: 'shuffle' });
  checkBoolean(dropLast, { op: OP, arg: 'dropLast' });
  checkBoolean(withLabels, { op: OP, arg: 'withLabels' });
  if (shuffle) checkKey(key, OP);
  checkInteger(epoch, { op: OP, arg: 'epoch', min: 0, max: 2 ** 32 - 1 });
  if (epochs !== Number.POSITIVE_INFINITY) checkInteger(epochs, { op: OP, arg: 'epochs', min: 1 });
  checkInteger(prefetch, { op: OP, arg: 'prefetch', min: 0 });
  if (withLabels && dataset.labels === undefined) {
    throw new ArgumentError({
      op: OP,
      argument: 'withLabels',
      message: `${OP}: 'withLabels' is true but dataset '${dataset.name}' has no labels.`,
    });
  }
  const steps = stepsPerEpoch(dataset.size, batchSize, dropLast);
  if (steps === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'batchSize',
      message: `${OP}: 'batchSize' is ${batchSize} but dataset '${dataset.name}' has only ${dataset.size} examples, so an epoch has no ${dropLast ? 'full ' : ''}batch.`,
    });
  }
  checkInteger(startStep, { op: OP, arg: 'startStep', min: 0, max: steps - 1 });
  return { batchSize, key, shuffle, dropLast, epoch, epochs, prefetch, withLabels, startStep };
}

/** Yields the plans of every batch, in order, computing each epoch's permutation when it starts. */
function* plans(dataset: Dataset, s: Settings): Generator<Plan> {
  const steps = stepsPerEpoch(dataset.size, s.batchSize, s.dropLast);
  for (let e = 0; e < s.epochs; e++) {
    const epoch = s.epoch + e;
    const order =
      s.shuffle && s.key
        ? permutationValues(foldIn(s.key, epoch), dataset.size)
        : Int32Array.from({ length: dataset.size }, (_, i) => i);
    for (let step = e === 0 ? s.startStep : 0; step < steps; step++) {
      const start = step * s.batchSize;
      yield { indices: order.slice(start, Math.min(start + s.batchSize, dataset.size)), step, epoch };
    }
  }
}

function assemble(dataset: Dataset, plan: Plan, withLabels: boolean): Assembled {
  const pixels = dataset.floatPixels?.(plan.indices);
  const all = dataset.labels;
  const labels = withLabels && all ? Int32Array.from(plan.indices, (i) => all[i]!) : undefined;
  return { ...plan, pixels, labels };
}

/** A planned batch; `assembled` is filled by a prefetch task or, if the consumer comes first, by next(). */
interface Slot {
  readonly plan: Plan;
  assembled: Assembled | undefined;
}

class BatchIterator implements AsyncIterableIterator<Batch> {
  readonly #dataset: Dataset;
  readonly #settings: Settings;
  readonly #plans: Generator<Plan>;
  readonly #queue: Slot[] = [];
  #finished = false;

  constructor(dataset: Dataset, settings: Settings) {
    this.#dataset = dataset;
    this.#settings = settings;
    this.#plans = plans(dataset, settings);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Batch> {
    return this;
  }

  #assemble(slot: Slot): Assembled {
    slot.assembled ??= assemble(this.#dataset, slot.plan, this.#settings.withLabels);
    return slot.assembled;
  }

  #nextSlot(): Slot | undefined {
    const next = this.#plans.next();
    return next.done ? undefined : { plan: next.value, assembled: undefined };
  }

  /** Queues the next `prefetch` batches, each assembled on a later event-loop turn if still needed. */
  #prefetch(): void {
    while (!this.#finished && this.#queue.length < this.#settings.prefetch) {
      const slot = this.#nextSlot();
      if (slot === undefined) return;
      this.#queue.push(slot);
      scheduleTask(() => {
        if (this.#finished) return;
        try {
          this.#assemble(slot);
        } catch {
          // Left unassembled: next() assembles it again and throws to the consumer.
        }
      });
    }
  }

  async next(): Promise<IteratorResult<Batch, undefined>> {
    if (this.#finished) return { done: true, value: undefined };
    const slot = this.#queue.shift() ?? this.#nextSlot();
    if (slot === undefined) {
      this.#stop();
      return { done: true, value: undefined };
    }
    let assembled: Assembled;
    try {
      assembled = this.#assemble(slot); // a no-op when a prefetch task got there first
    } catch (error) {
      this.#stop();
      throw error;
    }
    this.#prefetch();
    return { done: false, value: this.#toBatch(assembled) };
  }

  #toBatch(a: Assembled): Batch {
    const [height, width, channels] = this.#dataset.imageShape;
    return tf.tidy('batches', () => {
      const images = a.pixels
        ? tf.tensor4d(a.pixels, [a.indices.length, height, width, channels])
        : this.#dataset.images(a.indices);
      const labels = a.labels ? tf.tensor1d(a.labels, 'int32') : undefined;
      return { images, labels, indices: a.indices, step: a.step, epoch: a.epoch };
    }) as Batch;
  }

  #stop(): void {
    this.#finished = true;
    this.#queue.length = 0;
    this.#plans.return(undefined);
  }

  async return(): Promise<IteratorResult<Batch, undefined>> {
    this.#stop();
    return { done: true, value: undefined };
  }
}

/**
 * Batches of `dataset`, epoch after epoch: in each epoch the examples are visited in the keyed
 * permutation `permutationValues(foldIn(key, epoch), size)` (or in order with `shuffle: false`), cut
 * into `batchSize` batches. While one batch is used, the next `prefetch` batches' pixels are assembled
 * as Float32Arrays on later event-loop turns, in the time a training step spends awaiting (no tensors,
 * so nothing to leak); a batch the consumer asks for before its turn came is assembled at once, so
 * prefetching never makes a step wait. The tensors are made when a batch is handed out. Resuming at `startStep` skips earlier batches without decoding them, and
 * the same key, epoch and step always give the same examples.
 *
 * The consumer disposes each batch's tensors. Leaving a `for await` loop early (break, throw) calls
 * `return()`, which drops the prefetched arrays; no tensor is held by the iterator.
 *
 * @param dataset - any {@link Dataset}; prefetching needs its `floatPixels` (every loader here has it)
 * @param options - see {@link BatchesOptions}; `batchSize` is required, and `key` when shuffling
 * @returns an async iterator of {@link Batch}: `images` float32 `[batchSize, H, W, C]` in [0, 1],
 *   `labels` int32 `[batchSize]` or `undefined`, `indices`, `step` (within the epoch) and `epoch`
 * @throws ArgumentError (synchronously) for a bad option, a missing key when shuffling, `withLabels`
 *   on an unlabelled dataset, `startStep` outside the epoch, or a dataset smaller than one batch
 * @example
 * ```ts
 * for await (const batch of batches(train, { batchSize: 256, key: createKey(0), epoch: 3 })) {
 *   const loss = step(batch.images);
 *   batch.images.dispose();
 * }
 * ```
 */
export function batches(dataset: Dataset, options: BatchesOptions): AsyncIterableIterator<Batch> {
  checkDataset(dataset, OP);
  return new BatchIterator(dataset, checkSettings(dataset, options));
}
