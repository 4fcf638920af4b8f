import { ArgumentError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { naiveCosine, rankDescending, seededFeatures, seededLabels } from '../../test/fixtures';
import { retrieve } from './retrieve';

describe('retrieve', () => {
  const dims = 6;
  const queries = seededFeatures(11, 23, dims);
  const database = seededFeatures(12, 50, dims);
  const queryLabels = seededLabels(13, 23, 4);
  const databaseLabels = seededLabels(14, 50, 4);

  it('ranks by cosine like a naive loop and computes precision@k', async () => {
    const k = 7;
    const result = await retrieve({
      queries: queries.tensor,
      database: database.tensor,
      k,
      queryLabels,
      databaseLabels: tf.tensor1d(databaseLabels, 'int32'),
      chunkSize: 10,
    });
    let precision = 0;
    for (let i = 0; i < 23; i++) {
      const sims = Array.from({ length: 50 }, (_, j) =>
        naiveCosine(queries.values, database.values, dims, i, j),
      );
      const ranked = rankDescending(sims).slice(0, k);
      expect(Array.from(result.indices[i]!)).toEqual(ranked);
      for (let r = 0; r < k; r++) expect(result.scores[i]![r]).toBeCloseTo(sims[ranked[r]!]!, 5);
      precision += ranked.filter((j) => databaseLabels[j] === queryLabels[i]).length / k;
    }
    expect(result.precisionAtK).toBeCloseTo(precision / 23, 12);
  });

  it('without labels, precisionAtK is undefined', async () => {
    const result = await retrieve({ queries: queries.tensor, database: database.tensor });
    expect(result.precisionAtK).toBeUndefined();
    expect(result.indices).toHaveLength(23);
    expect(result.indices[0]).toHaveLength(5);
  });

  it('a database searched against itself finds itself first, unless excludeSelf', async () => {
    const self = await retrieve({ queries: database.tensor, database: database.tensor, k: 2 });
    self.indices.forEach((row, i) => {
      expect(row[0]).toBe(i);
    });
    self.scores.forEach((row) => {
      expect(row[0]).toBeCloseTo(1, 5);
    });
    const others = await retrieve({
      queries: database.tensor,
      database: database.tensor,
      k: 2,
      excludeSelf: true,
      chunkSize: 8,
    });
    others.indices.forEach((row, i) => {
      expect(row[0]).not.toBe(i);
      expect(row[0]).toBe(self.indices[i]![1]);
    });
  });

  it('duplicate database rows tie; the lower index ranks first', async () => {
    const db = tf.tensor2d([
      [0, 1],
      [1, 0],
      [1, 0],
      [2, 0],
    ]);
    const q = tf.tensor2d([[3, 0]]);
    const { indices, scores } = await retrieve({ queries: q, database: db, k: 3 });
    expect(Array.from(indices[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(scores[0]!)).toEqual([1, 1, 1]);
    tf.dispose([db, q]);
  });

  it('leaks nothing', async () => {
    await expectNoLeaks(() =>
      retrieve({
        queries: database.tensor,
        database: database.tensor,
        k: 3,
        excludeSelf: true,
        chunkSize: 16,
      }),
    );
  });

  it('names the function and argument on bad input', async () => {
    const base = { queries: queries.tensor, database: database.tensor };
    await expect(retrieve({ ...base, k: 51 })).rejects.toThrow(
      "retrieve: 'k' is 51 but expected an integer in [1, 50].",
    );
    await expect(
      retrieve({ queries: database.tensor, database: database.tensor, k: 50, excludeSelf: true }),
    ).rejects.toThrow("retrieve: 'k' is 50 but expected an integer in [1, 49].");
    await expect(retrieve({ ...base, excludeSelf: true })).rejects.toThrow(
      "retrieve: 'excludeSelf' needs the queries to be the database rows (Q = N) but Q = 23 and N = 50.",
    );
    await expect(retrieve({ ...base, queryLabels })).rejects.toThrow(
      "retrieve: 'databaseLabels' is missing; give both 'queryLabels' and 'databaseLabels' or neither.",
    );
    await expect(
      retrieve({ ...base, queryLabels, databaseLabels: databaseLabels.subarray(1) }),
    ).rejects.toThrow(
      "retrieve: 'databaseLabels' has 49 labels but 'database' has 50 rows; both must have the same N.",
    );
    await expect(
      retrieve({ ...base, queryLabels: queryLabels.map(() => -2), databaseLabels }),
    ).rejects.toThrow("retrieve: 'queryLabels' holds -2 at index 0 but expected non-negative integers.");
    await expect(retrieve({ ...base, k: 0 })).rejects.toSatisfy(ArgumentError.isInstance);
  });
});
