import { ArgumentError, createKey, foldIn, permutationValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset/dataset';
import { uint8Dataset } from '../dataset/uint8-dataset';
import { type Batch, batches, stepsPerEpoch } from './batches';

// 10 examples of 2x2x1 whose four bytes all equal 20*i, labels i % 3: a batch's pixels name its examples.
const SIZE = 10;
const data = uint8Dataset({
  name: 'ten',
  pixels: Uint8Array.from({ length: SIZE * 4 }, (_, j) => 20 * Math.floor(j / 4)),
  imageShape: [2, 2, 1],
  labels: Int32Array.from({ length: SIZE }, (_, i) => i % 3),
});
const key = createKey(42);

interface Seen {
  readonly indices: number[];
  readonly fromPixels: number[];
  readonly labels: number[] | undefined;
  readonly step: number;
  readonly epoch: number;
  readonly shape: number[];
  readonly dtype: string;
}

async function read(batch: Batch): Promise<Seen> {
  const pixels = await batch.images.data();
  const fromPixels = Array.from({ length: batch.indices.length }, (_, i) =>
    Math.round((pixels[i * 4]! * 255) / 20),
  );
  const labels = batch.labels ? Array.from(await batch.labels.data()) : undefined;
  const seen = {
    indices: Array.from(batch.indices),
    fromPixels,
    labels,
    step: batch.step,
    epoch: batch.epoch,
    shape: batch.images.shape,
    dtype: batch.images.dtype,
  };
  batch.images.dispose();
  batch.labels?.dispose();
  return seen;
}

async function collect(iterator: AsyncIterableIterator<Batch>): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const batch of iterator) out.push(await read(batch));
  return out;
}

describe('batches', () => {
  it('cuts one epoch of a keyed permutation into full batches', async () => {
    const before = tf.memory().numTensors;
    const seen = await collect(batches(data, { batchSize: 3, key }));
    const order = Array.from(permutationValues(foldIn(key, 0), SIZE));
    expect(seen.map((s) => s.indices)).toEqual([order.slice(0, 3), order.slice(3, 6), order.slice(6, 9)]);
    expect(seen.map((s) => s.step)).toEqual([0, 1, 2]);
    for (const s of seen) {
      expect(s.fromPixels).toEqual(s.indices);
      expect(s.shape).toEqual([3, 2, 2, 1]);
      expect(s.dtype).toBe('float32');
      expect(s.labels).toBeUndefined();
      expect(s.epoch).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the last short batch without dropLast, and visits in order without shuffle', async () => {
    const seen = await collect(batches(data, { batchSize: 4, shuffle: false, dropLast: false }));
    expect(seen.map((s) => s.indices)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(seen[2]!.shape).toEqual([2, 2, 2, 1]);
  });

  it('hands out int32 labels matching the indices', async () => {
    const [first] = await collect(batches(data, { batchSize: 5, key, withLabels: true }));
    expect(first!.labels).toEqual(first!.indices.map((i) => i % 3));
  });

  it('gives the same batches with and without prefetch, and for the same key and epoch', async () => {
    const options = { batchSize: 2, key, epoch: 3, epochs: 2 };
    const a = await collect(batches(data, { ...options, prefetch: 0 }));
    const b = await collect(batches(data, { ...options, prefetch: 4 }));
    expect(b).toEqual(a);
    expect(a.map((s) => s.epoch)).toEqual([3, 3, 3, 3, 3, 4, 4, 4, 4, 4]);
    const epoch3 = a.slice(0, 5).flatMap((s) => s.indices);
    const epoch4 = a.slice(5).flatMap((s) => s.indices);
    expect([...epoch3].sort((x, y) => x - y)).toEqual(Array.from({ length: SIZE }, (_, i) => i));
    expect(epoch4).not.toEqual(epoch3);
    const other = await collect(batches(data, { batchSize: 2, key: createKey(43), epoch: 3 }));
    expect(other.map((s) => s.indices)).not.toEqual(a.slice(0, 5).map((s) => s.indices));
  });

  it('resumes at startStep without decoding the skipped batches', async () => {
    const full = await collect(batches(data, { batchSize: 2, key, epochs: 2 }));
    let decoded = 0;
    const counting: Dataset = {
      ...data,
      floatPixels: (indices) => {
        decoded += indices.length;
        return data.floatPixels(indices);
      },
    };
    const resumed = await collect(batches(counting, { batchSize: 2, key, epochs: 2, startStep: 3 }));
    expect(resumed).toEqual(full.slice(3));
    expect(decoded).toBe(2 * 7);
  });

  it('assembles the next prefetch batches while the consumer is idle, and no further', async () => {
    let assembled = 0;
    const counting: Dataset = {
      ...data,
      floatPixels: (indices) => {
        assembled++;
        return data.floatPixels(indices);
      },
    };
    const iterator = batches(counting, { batchSize: 2, key, prefetch: 2 });
    const first = await iterator.next();
    expect(assembled).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(assembled).toBe(3);
    await iterator.next();
    expect(assembled).toBe(3); // batch 1 was ready; batch 3 is scheduled, not yet run
    await iterator.return!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(assembled).toBe(3); // abandoned after return()
    if (!first.done) first.value.images.dispose();
  });

  it('runs without floatPixels (no prefetch) through dataset.images', async () => {
    const { floatPixels: _, ...plain } = data;
    const seen = await collect(batches(plain as Dataset, { batchSize: 5, key }));
    expect(seen.map((s) => s.fromPixels)).toEqual(seen.map((s) => s.indices));
  });

  it('leaks nothing when the loop breaks early with batches prefetched', async () => {
    const before = tf.memory().numTensors;
    const iterator = batches(data, {
      batchSize: 2,
      key,
      epochs: Number.POSITIVE_INFINITY,
      prefetch: 3,
      withLabels: true,
    });
    let count = 0;
    for await (const batch of iterator) {
      batch.images.dispose();
      batch.labels?.dispose();
      if (++count === 2) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10)); // let abandoned prefetch tasks run
    expect(tf.memory().numTensors).toBe(before);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('counts steps per epoch', () => {
    expect(stepsPerEpoch(10, 3, true)).toBe(3);
    expect(stepsPerEpoch(10, 3, false)).toBe(4);
    expect(stepsPerEpoch(60000, 256)).toBe(234);
    expect(() => stepsPerEpoch(10, 0, true)).toThrow(
      "stepsPerEpoch: 'batchSize' is 0 but expected an integer >= 1.",
    );
  });

  it('rejects bad options synchronously, with messages naming the argument', () => {
    expect(() => batches(data, { batchSize: 0, key })).toThrow(
      "batches: 'batchSize' is 0 but expected an integer >= 1.",
    );
    expect(() => batches(data, { batchSize: 2 })).toThrow("batches: 'key' is undefined but expected a Key");
    expect(() => batches(data, { batchSize: 11, key })).toThrow(
      "batches: 'batchSize' is 11 but dataset 'ten' has only 10 examples, so an epoch has no full batch.",
    );
    expect(() => batches(data, { batchSize: 2, key, startStep: 5 })).toThrow(
      "batches: 'startStep' is 5 but expected an integer in [0, 4].",
    );
    const unlabelled = uint8Dataset({ name: 'u', pixels: new Uint8Array(4), imageShape: [1, 1, 1] });
    expect(() => batches(unlabelled, { batchSize: 2, key, withLabels: true })).toThrow(
      "batches: 'withLabels' is true but dataset 'u' has no labels.",
    );
    expect(() => batches(data, { batchSize: 2, key, prefetch: -1 })).toThrow(ArgumentError);
    expect(() => batches(null as never, { batchSize: 2, key })).toThrow(ArgumentError);
  });
});
