import { ArgumentError, createKey, ShapeError } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dot, row, seededMatrix, unit } from '../../test/support';
import { MemoryQueue } from './memory-queue';

const K = 8;
const D = 4;

/** The naive reference: a JS ring buffer of rows, each enqueued row L2-normalised. */
function naiveEnqueue(
  buffer: number[][],
  pointer: number,
  keys: Float32Array,
  count: number,
  dim: number,
): number {
  for (let r = 0; r < count; r++) buffer[(pointer + r) % buffer.length] = unit(row(keys, r, dim));
  return (pointer + count) % buffer.length;
}

async function rowsOfQueue(queue: MemoryQueue): Promise<number[][]> {
  const data = await queue.get().data();
  return Array.from({ length: queue.size }, (_, r) => row(data, r, queue.dim));
}

describe('MemoryQueue', () => {
  it('starts as K random unit vectors [K, D] drawn from the key, pointer 0', async () => {
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(7) });
    expect(queue.get().shape).toEqual([K, D]);
    expect(queue.get().dtype).toBe('float32');
    expect([queue.size, queue.dim, queue.pointer]).toEqual([K, D, 0]);
    const norms = (await rowsOfQueue(queue)).map((r) => Math.sqrt(dot(r, r)));
    await expectTensorClose(Float32Array.from(norms), new Float32Array(K).fill(1));
    queue.dispose();
  });

  it('is deterministic in its key: same key same rows, other key other rows', async () => {
    const a = new MemoryQueue({ size: K, dim: D, key: createKey(1) });
    const b = new MemoryQueue({ size: K, dim: D, key: createKey(1) });
    const c = new MemoryQueue({ size: K, dim: D, key: createKey(2) });
    const [da, db, dc] = await Promise.all([a.get().data(), b.get().data(), c.get().data()]);
    expect(Array.from(da)).toEqual(Array.from(db));
    expect(Array.from(da)).not.toEqual(Array.from(dc));
    for (const q of [a, b, c]) q.dispose();
  });

  it('enqueues as a FIFO ring buffer: normalised rows, wrap-around when B does not divide K', async () => {
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(3) });
    const mirror = await rowsOfQueue(queue);
    let pointer = 0;
    // 3 + 3 fills rows 0..5; the third batch of 3 writes rows 6, 7 and wraps to row 0; then 5 rows
    // from pointer 1 fill 1..5; then a full K rows from pointer 6 wraps again.
    for (const [seed, count] of [
      [20, 3],
      [21, 3],
      [22, 3],
      [23, 5],
      [24, K],
    ] as const) {
      const keys = seededMatrix(seed, count, D, 2);
      queue.enqueue(keys.tensor);
      pointer = naiveEnqueue(mirror, pointer, keys.values, count, D);
      expect(queue.pointer).toBe(pointer);
      await expectTensorClose(queue.get(), mirror);
      keys.tensor.dispose();
    }
    queue.dispose();
  });

  it('copies the keys (the caller still owns them) and ignores an empty batch', async () => {
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(4) });
    const keys = seededMatrix(30, 2, D);
    queue.enqueue(keys.tensor);
    expect(keys.tensor.isDisposed).toBe(false);
    const before = Array.from(await queue.get().data());
    const empty = tf.zeros([0, D]);
    queue.enqueue(empty);
    expect(queue.pointer).toBe(2);
    expect(Array.from(await queue.get().data())).toEqual(before);
    tf.dispose([keys.tensor, empty]);
    queue.dispose();
  });

  it('keeps one non-trainable tensor for its whole life, and 1000 enqueues leak nothing', async () => {
    const queue = new MemoryQueue({ size: 64, dim: 16, key: createKey(5) });
    const held = queue.get();
    expect(held).toBeInstanceOf(tf.Variable);
    expect((held as tf.Variable).trainable).toBe(false); // optimizers never update the queue
    const keys = seededMatrix(31, 5, 16); // 5 does not divide 64: every wrap-around case is hit
    const before = tf.memory();
    for (let i = 0; i < 1000; i++) queue.enqueue(keys.tensor);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(queue.get()).toBe(held);
    expect(queue.pointer).toBe(5000 % 64);
    keys.tensor.dispose();
    queue.dispose();
  });

  it('dispose frees its tensor, is idempotent, and later use throws', () => {
    const before = tf.memory().numTensors;
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(6) });
    expect(tf.memory().numTensors).toBe(before + 1);
    queue.dispose();
    queue.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(queue.isDisposed).toBe(true);
    expect(() => queue.get()).toThrow(
      'MemoryQueue.get: the queue was disposed; create a new one or restore it from a state.',
    );
    expect(() => queue.enqueue(tf.zeros([1, D]))).toThrow(ArgumentError);
  });

  it('checkpoints: restore(state()) has the same rows and pointer, and continues identically', async () => {
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(8) });
    const first = seededMatrix(40, 5, D);
    queue.enqueue(first.tensor);
    const state = await queue.state();
    expect([state.size, state.dim, state.pointer, state.data.length]).toEqual([K, D, 5, K * D]);
    const restored = MemoryQueue.restore(state);
    state.data.fill(0); // the state is a copy: changing it must not touch either queue
    expect(restored.pointer).toBe(5);
    expect(Array.from(await restored.get().data())).toEqual(Array.from(await queue.get().data()));
    const next = seededMatrix(41, 6, D);
    queue.enqueue(next.tensor);
    restored.enqueue(next.tensor);
    expect(restored.pointer).toBe(queue.pointer);
    expect(Array.from(await restored.get().data())).toEqual(Array.from(await queue.get().data()));
    tf.dispose([first.tensor, next.tensor]);
    queue.dispose();
    restored.dispose();
  });

  it('rejects a batch larger than the queue, a wrong row length and a non-float32 batch', () => {
    const queue = new MemoryQueue({ size: K, dim: D, key: createKey(9) });
    const tooMany = tf.zeros([K + 1, D]);
    const wrongDim = tf.zeros([2, D + 1]);
    const ints = tf.zeros([2, D], 'int32');
    expect(() => queue.enqueue(tooMany)).toThrow(
      "MemoryQueue.enqueue: 'keys' has shape [9,4] but the queue holds 8 rows; a batch can have at most 8 rows.",
    );
    expect(() => queue.enqueue(tooMany)).toThrow(ShapeError);
    expect(() => queue.enqueue(wrongDim)).toThrow(
      "MemoryQueue.enqueue: 'keys' has shape [2,5] but expected [*,4].",
    );
    expect(() => queue.enqueue(ints)).toThrow(
      "MemoryQueue.enqueue: 'keys' has dtype int32 but expected float32.",
    );
    expect(queue.pointer).toBe(0);
    tf.dispose([tooMany, wrongDim, ints]);
    queue.dispose();
  });

  it('rejects bad options and malformed states', () => {
    const key = createKey(0);
    expect(() => new MemoryQueue({ size: 0, dim: D, key })).toThrow(
      "MemoryQueue: 'size' is 0 but expected an integer >= 1.",
    );
    expect(() => new MemoryQueue({ size: K, dim: 2.5, key })).toThrow(ArgumentError);
    expect(() => new MemoryQueue({ size: K, dim: D, key: 42 as unknown as typeof key })).toThrow(
      "MemoryQueue: 'key' is 42 but expected a Key from createKey(seed).",
    );
    const data = new Float32Array(K * D);
    expect(() => MemoryQueue.restore({ data: data.subarray(1), pointer: 0, size: K, dim: D })).toThrow(
      "MemoryQueue.restore: 'data' is 31 values but expected a Float32Array of size * dim = 32 values.",
    );
    expect(() => MemoryQueue.restore({ data, pointer: K, size: K, dim: D })).toThrow(
      "MemoryQueue.restore: 'pointer' is 8 but expected an integer in [0, 8).",
    );
  });
});
