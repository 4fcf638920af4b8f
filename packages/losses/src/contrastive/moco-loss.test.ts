import { ArgumentError, createKey, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dot,
  expectExactlyZero,
  expectFinite,
  gradientsOf,
  logSumExp,
  mean,
  row,
  seededMatrix,
  seededValues,
  unit,
} from '../../test/support';
import { MemoryQueue } from '../queue/memory-queue';
import { infoNCE } from './info-nce';
import { mocoLoss } from './moco-loss';

const B = 4;
const D = 6;
const K = 16;

/** The naive reference: logits [q.k, q.n_1..q.n_K] / T on unit q, k and the queue's rows, label 0. */
function naiveMoco(
  q: Float32Array,
  k: Float32Array,
  queue: ArrayLike<number>,
  temperature: number,
): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    const qb = unit(row(q, b, D));
    const positive = dot(qb, unit(row(k, b, D))) / temperature;
    const logits = [positive];
    for (let j = 0; j < K; j++) logits.push(dot(qb, row(queue, j, D)) / temperature);
    out.push(logSumExp(logits) - positive);
  }
  return out;
}

const query = seededMatrix(50, B, D);
const key = (() => {
  const noise = seededValues(51, B, D, 0.3);
  const values = query.values.map((v, i) => v + (noise[i] as number));
  return { tensor: tf.tensor2d(values, [B, D]), values };
})();
const queue = new MemoryQueue({ size: K, dim: D, key: createKey(52) });

afterAll(() => {
  tf.dispose([query.tensor, key.tensor]);
  queue.dispose();
});

describe('mocoLoss', () => {
  it('returns a float32 scalar by default and [B] for none', () => {
    const loss = mocoLoss(query.tensor, key.tensor, queue);
    const none = mocoLoss(query.tensor, key.tensor, queue, { reduction: 'none' });
    expect(loss.shape).toEqual([]);
    expect(loss.dtype).toBe('float32');
    expect(none.shape).toEqual([B]);
    tf.dispose([loss, none]);
  });

  it('matches a naive loop against the queue contents, for every reduction', async () => {
    const { data } = await queue.state();
    for (const temperature of [0.2, 0.07]) {
      const expected = naiveMoco(query.values, key.values, data, temperature);
      const none = mocoLoss(query.tensor, key.tensor, queue, { temperature, reduction: 'none' });
      const meanLoss = mocoLoss(query.tensor, key.tensor, queue, { temperature });
      const sumLoss = mocoLoss(query.tensor, key.tensor, queue, { temperature, reduction: 'sum' });
      await expectTensorClose(none, expected);
      await expectTensorClose(meanLoss, mean(expected));
      await expectTensorClose(
        sumLoss,
        expected.reduce((a, c) => a + c, 0),
      );
      tf.dispose([none, meanLoss, sumLoss]);
    }
  });

  it('equals infoNCE with the queue as shared negatives', async () => {
    const moco = mocoLoss(query.tensor, key.tensor, queue, { temperature: 0.2 });
    const nce = infoNCE(query.tensor, key.tensor, queue.get(), { temperature: 0.2 });
    await expectTensorClose(moco, nce);
    tf.dispose([moco, nce]);
  });

  it('sees the queue after enqueue', async () => {
    const local = new MemoryQueue({ size: K, dim: D, key: createKey(53) });
    const before = mocoLoss(query.tensor, key.tensor, local);
    local.enqueue(key.tensor); // the keys become negatives of their own queries: the loss rises
    const after = mocoLoss(query.tensor, key.tensor, local);
    const { data } = await local.state();
    await expectTensorClose(after, mean(naiveMoco(query.values, key.values, data, 0.2)));
    expect((await after.data())[0]).toBeGreaterThan((await before.data())[0] as number);
    tf.dispose([before, after]);
    local.dispose();
  });

  it('passes a finite-difference gradient check for the query; the key gets exactly zero gradient', async () => {
    await gradCheck((q, k) => mocoLoss(q as tf.Tensor, k as tf.Tensor, queue), [query.tensor, key.tensor], {
      check: [0],
    });
    const [, keyGrad] = gradientsOf((q, k) => mocoLoss(q, k, queue), [query.tensor, key.tensor]);
    await expectExactlyZero(keyGrad as tf.Tensor);
    tf.dispose(keyGrad as tf.Tensor);
  });

  it('does not leak, in the forward pass or under tf.grads', async () => {
    await expectNoLeaks(() => mocoLoss(query.tensor, key.tensor, queue));
    await expectNoLeaks(() => gradientsOf((q, k) => mocoLoss(q, k, queue), [query.tensor, key.tensor]));
  });

  it('is deterministic', async () => {
    const a = mocoLoss(query.tensor, key.tensor, queue, { reduction: 'none' });
    const b = mocoLoss(query.tensor, key.tensor, queue, { reduction: 'none' });
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([a, b]);
  });

  it('stays finite for zero vectors and at T = 0.01 with aligned query and key', async () => {
    const zeros = tf.zeros([B, D]);
    const zeroLoss = mocoLoss(zeros, zeros, queue);
    await expectTensorClose(zeroLoss, Math.log(K + 1)); // every score 0: uniform over 1 + K
    const zeroGrads = gradientsOf((q, k) => mocoLoss(q, k, queue), [zeros, zeros]);
    await expectFinite(zeroGrads);
    const cold = mocoLoss(query.tensor, query.tensor, queue, { temperature: 0.01 });
    await expectFinite(cold);
    const coldGrads = gradientsOf(
      (q, k) => mocoLoss(q, k, queue, { temperature: 0.01 }),
      [query.tensor, query.tensor],
    );
    await expectFinite(coldGrads);
    tf.dispose([zeros, zeroLoss, cold, ...zeroGrads, ...coldGrads]);
  });

  it('rejects mismatched shapes, naming both arguments', () => {
    const otherBatch = tf.zeros([B + 1, D]);
    const otherDim = tf.zeros([B, D + 1]);
    const narrowQueue = new MemoryQueue({ size: K, dim: D - 1, key: createKey(54) });
    expect(() => mocoLoss(query.tensor, otherBatch, queue)).toThrow(
      "mocoLoss: 'key' has shape [5,6] but 'query' has [4,6]; both must be [B,D] with equal sizes.",
    );
    expect(() => mocoLoss(otherDim, otherDim, queue)).toThrow(
      "mocoLoss: 'queue' has shape [16,6] but 'query' has [4,7]; 'D' must be the same size in both (7 vs 6).",
    );
    expect(() => mocoLoss(query.tensor, key.tensor, narrowQueue)).toThrow(ShapeError);
    tf.dispose([otherBatch, otherDim]);
    narrowQueue.dispose();
  });

  it('rejects a disposed or missing queue, temperature <= 0 and unknown reductions', () => {
    const gone = new MemoryQueue({ size: K, dim: D, key: createKey(55) });
    gone.dispose();
    expect(() => mocoLoss(query.tensor, key.tensor, gone)).toThrow(
      "mocoLoss: 'queue' was disposed; pass a live MemoryQueue.",
    );
    expect(() => mocoLoss(query.tensor, key.tensor, queue.get() as unknown as MemoryQueue)).toThrow(
      ArgumentError,
    );
    expect(() => mocoLoss(query.tensor, key.tensor, queue, { temperature: 0 })).toThrow(
      "mocoLoss: 'temperature' is 0 but expected a finite number > 0.",
    );
    expect(() =>
      mocoLoss(query.tensor, key.tensor, queue, { reduction: 'all' as unknown as 'mean' }),
    ).toThrow(ArgumentError);
  });
});
