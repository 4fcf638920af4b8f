import {
  ArgumentError,
  checkDType,
  checkInteger,
  checkKey,
  checkShape,
  type Key,
  l2Normalize,
  normal,
  ShapeError,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link MemoryQueue}. */
export interface MemoryQueueOptions {
  /** `K`, the number of rows the queue holds, an integer `>= 1` (MoCo: 65536; 4096 at CIFAR scale). */
  readonly size: number;
  /** `D`, the length of each row (the embedding dimension), an integer `>= 1`. */
  readonly dim: number;
  /** The key the initial random unit vectors are drawn from. */
  readonly key: Key;
}

/** A queue's contents and write position, for checkpoints: see {@link MemoryQueue.state} and {@link MemoryQueue.restore}. */
export interface MemoryQueueState {
  /** The `[K, D]` rows, row-major, `K * D` values (a copy). */
  readonly data: Float32Array;
  /** The row the next `enqueue` writes first, in `[0, K)`. */
  readonly pointer: number;
  /** `K`, the number of rows. */
  readonly size: number;
  /** `D`, the row length. */
  readonly dim: number;
}

/** Module-private: lets {@link MemoryQueue.restore} build a queue from a state instead of a key. */
const RESTORED = Symbol('MemoryQueue.restored');

interface RestoreOptions extends MemoryQueueOptions {
  readonly [RESTORED]: { readonly data: Float32Array; readonly pointer: number };
}

function checkCount(op: string, arg: string, value: unknown): asserts value is number {
  checkInteger(value, { op, arg, min: 1 });
}

/**
 * A FIFO memory of `K` unit-length embeddings, MoCo's queue of negative keys, held in one `[K, D]`
 * tensor that the queue owns (a non-trainable `tf.Variable`, so optimizers never update it).
 *
 * It starts as `K` random unit vectors drawn from `key`. `enqueue(keys)` writes the L2-normalised
 * rows of `keys` at the write pointer as a ring buffer, wrapping around the end (`B` need not divide
 * `K`), and overwrites the oldest rows; the pointer advances to `(pointer + B) mod K`. Call
 * `dispose()` when done; `state()` / `MemoryQueue.restore(state)` checkpoint it.
 *
 * @example
 * ```ts
 * const queue = new MemoryQueue({ size: 4096, dim: 128, key: createKey(0) });
 * const loss = mocoLoss(q, k, queue, { temperature: 0.2 }); // score against the current queue
 * queue.enqueue(k);                                         // then push this batch's keys
 * queue.dispose();
 * ```
 * @see He, Fan, Wu, Xie, Girshick, "Momentum Contrast for Unsupervised Visual Representation Learning" (MoCo), CVPR 2020, https://arxiv.org/abs/1911.05722
 */
export class MemoryQueue {
  /** `K`, the number of rows. */
  readonly size: number;
  /** `D`, the row length. */
  readonly dim: number;
  #buffer: tf.Variable<tf.Rank.R2> | undefined;
  #pointer: number;

  /**
   * Creates a queue of `size` random unit vectors of length `dim`, drawn from `key`
   * (normal samples, L2-normalised per row).
   *
   * @param options - `{ size: K, dim: D, key }`
   * @throws ArgumentError when `size` or `dim` is not an integer `>= 1`, or `key` is not a Key
   */
  constructor(options: MemoryQueueOptions) {
    const op = 'MemoryQueue';
    if (typeof options !== 'object' || options === null) {
      throw new ArgumentError({
        op,
        argument: 'options',
        expected: '{ size, dim, key }',
        actual: String(options),
      });
    }
    const { size, dim } = options;
    checkCount(op, 'size', size);
    checkCount(op, 'dim', dim);
    const restored = (options as Partial<RestoreOptions>)[RESTORED];
    if (restored === undefined) checkKey(options.key, op);
    this.size = size;
    this.dim = dim;
    this.#pointer = restored?.pointer ?? 0;
    const initial = tf.tidy(() =>
      restored !== undefined
        ? tf.tensor2d(Float32Array.from(restored.data), [size, dim], 'float32')
        : (l2Normalize(normal(options.key, [size, dim])) as tf.Tensor2D),
    );
    this.#buffer = tf.variable(initial, false);
    initial.dispose();
  }

  /** The row the next {@link MemoryQueue.enqueue} writes first, in `[0, K)`. */
  get pointer(): number {
    return this.#pointer;
  }

  /** True after {@link MemoryQueue.dispose}. */
  get isDisposed(): boolean {
    return this.#buffer === undefined;
  }

  /**
   * The current `[K, D]` rows. The tensor belongs to the queue: do not dispose it. It is the same
   * tensor object for the queue's whole life; `enqueue` changes its values in place.
   *
   * @returns the queue's `[K, D]` float32 tensor
   * @throws ArgumentError when the queue was disposed
   */
  get(): tf.Tensor2D {
    return this.#live('get');
  }

  /**
   * Writes the L2-normalised rows of `keys` at the pointer (FIFO ring buffer: the oldest rows are
   * overwritten, wrapping past row `K - 1` to row 0) and advances the pointer by `B` modulo `K`.
   * `keys` are copied; the caller still owns them. No gradient flows through the queue.
   *
   * @param keys - `[B, D]` float32 with `0 <= B <= K`
   * @throws ShapeError when `keys` is not `[B, D]` or `B > K`
   * @throws DTypeError when `keys` is not float32
   * @throws ArgumentError when the queue was disposed
   */
  enqueue(keys: tf.Tensor): void {
    const op = 'MemoryQueue.enqueue';
    const buffer = this.#live('enqueue');
    checkShape(keys, [null, this.dim], { op, arg: 'keys' });
    checkDType(keys, ['float32'], { op, arg: 'keys' });
    const rows = keys.shape[0] as number;
    if (rows > this.size) {
      throw new ShapeError({
        op,
        argument: 'keys',
        expected: `at most ${this.size} rows`,
        actual: `[${keys.shape.join(',')}]`,
        message: `${op}: 'keys' has shape [${keys.shape.join(',')}] but the queue holds ${this.size} rows; a batch can have at most ${this.size} rows.`,
      });
    }
    if (rows === 0) return;
    const start = this.#pointer;
    const size = this.size;
    const dim = this.dim;
    const next = tf.tidy(op, () => {
      const fresh = l2Normalize(keys as tf.Tensor2D); // [B, D]
      const rowsOf = (x: tf.Tensor2D, begin: number, count: number): tf.Tensor2D[] =>
        count > 0 ? [tf.slice(x, [begin, 0], [count, dim])] : [];
      const parts =
        start + rows <= size
          ? // [kept 0..start) [fresh] [kept start+B..K)
            [...rowsOf(buffer, 0, start), fresh, ...rowsOf(buffer, start + rows, size - start - rows)]
          : // wraps: [fresh tail -> rows 0..r) [kept r..start) [fresh head -> rows start..K)
            [
              ...rowsOf(fresh, size - start, rows - (size - start)),
              ...rowsOf(buffer, rows - (size - start), start - (rows - (size - start))),
              ...rowsOf(fresh, 0, size - start),
            ];
      return parts.length === 1 ? tf.clone(parts[0] as tf.Tensor2D) : tf.concat(parts, 0);
    });
    buffer.assign(next);
    next.dispose();
    this.#pointer = (start + rows) % size;
  }

  /**
   * A copy of the queue's contents and pointer, for a checkpoint (reads the tensor asynchronously).
   *
   * @returns `{ data, pointer, size, dim }`, `data` a fresh `Float32Array` of `K * D` values
   * @throws ArgumentError when the queue was disposed
   */
  async state(): Promise<MemoryQueueState> {
    const buffer = this.#live('state');
    const pointer = this.#pointer;
    const data = Float32Array.from((await buffer.data()) as Float32Array);
    return { data, pointer, size: this.size, dim: this.dim };
  }

  /**
   * Rebuilds a queue from {@link MemoryQueue.state}'s output: same rows (copied, not re-normalised),
   * same pointer.
   *
   * @param state - `{ data, pointer, size, dim }` with `data.length === size * dim` and `0 <= pointer < size`
   * @returns a new queue the caller owns (call `dispose()`)
   * @throws ArgumentError when the state is malformed (the message says which field)
   */
  static restore(state: MemoryQueueState): MemoryQueue {
    const op = 'MemoryQueue.restore';
    if (typeof state !== 'object' || state === null) {
      throw new ArgumentError({
        op,
        argument: 'state',
        expected: '{ data, pointer, size, dim }',
        actual: String(state),
      });
    }
    const { data, pointer, size, dim } = state;
    checkCount(op, 'size', size);
    checkCount(op, 'dim', dim);
    if (!(data instanceof Float32Array) || data.length !== size * dim) {
      throw new ArgumentError({
        op,
        argument: 'data',
        expected: `a Float32Array of size * dim = ${size * dim} values`,
        actual: data instanceof Float32Array ? `${data.length} values` : String(data),
      });
    }
    if (!Number.isSafeInteger(pointer) || pointer < 0 || pointer >= size) {
      throw new ArgumentError({
        op,
        argument: 'pointer',
        expected: `an integer in [0, ${size})`,
        actual: String(pointer),
      });
    }
    const options: RestoreOptions = { size, dim, key: { k0: 0, k1: 0 }, [RESTORED]: { data, pointer } };
    return new MemoryQueue(options);
  }

  /** Frees the queue's tensor. Idempotent; the queue is unusable afterwards. */
  dispose(): void {
    this.#buffer?.dispose();
    this.#buffer = undefined;
  }

  #live(method: string): tf.Variable<tf.Rank.R2> {
    if (this.#buffer === undefined) {
      throw new ArgumentError({
        op: `MemoryQueue.${method}`,
        message: `MemoryQueue.${method}: the queue was disposed; create a new one or restore it from a state.`,
      });
    }
    return this.#buffer;
  }
}
