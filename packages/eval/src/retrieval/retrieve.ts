import { ArgumentError, checkBoolean, checkInteger, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { cosineChunk, normalizedTranspose } from '../internal/cosine';
import {
  checkFeatures,
  checkLabelsShape,
  type Labels,
  readLabels,
  yieldToEventLoop,
} from '../internal/validate';

/** Options of {@link retrieve}. */
export interface RetrieveOptions {
  /** `[Q, D]` float32 query features. */
  readonly queries: tf.Tensor2D;
  /** `[N, D]` float32 database features. */
  readonly database: tf.Tensor2D;
  /** Neighbours returned per query, an integer in `[1, N]` (`[1, N - 1]` with `excludeSelf`). Default 5. */
  readonly k?: number;
  /** `[Q]` non-negative integer labels of the queries; give both label sets or neither. */
  readonly queryLabels?: Labels;
  /** `[N]` non-negative integer labels of the database rows. */
  readonly databaseLabels?: Labels;
  /**
   * When the queries ARE the database (`Q = N`, row i of both is the same item), skip each query's own
   * row so it is not its own first neighbour. Default false.
   */
  readonly excludeSelf?: boolean;
  /** Queries per similarity block; memory is `chunkSize x N` floats. Default 256. */
  readonly chunkSize?: number;
}

/** Result of {@link retrieve}. */
export interface RetrieveResult {
  /** Per query, the `k` database rows ranked by decreasing cosine similarity. */
  readonly indices: Int32Array[];
  /** Per query, the `k` cosine similarities in [-1, 1], decreasing, matching `indices`. */
  readonly scores: Float32Array[];
  /** Mean over queries of the share of the `k` neighbours that carry the query's label; `undefined` without labels. */
  readonly precisionAtK: number | undefined;
}

function checkOptions(options: RetrieveOptions): { q: number; n: number; k: number } {
  const op = 'retrieve';
  const {
    queries,
    database,
    k = 5,
    queryLabels,
    databaseLabels,
    excludeSelf = false,
    chunkSize = 256,
  } = options;
  const dims = shapeBindings();
  checkFeatures(queries, ['Q', 'D'], op, 'queries', dims);
  checkFeatures(database, ['N', 'D'], op, 'database', dims);
  const q = dims.get('Q')!;
  const n = dims.get('N')!;
  checkBoolean(excludeSelf, { op, arg: 'excludeSelf' });
  if (excludeSelf && q !== n) {
    throw new ArgumentError({
      op,
      argument: 'excludeSelf',
      expected: 'Q = N',
      actual: `Q = ${q}, N = ${n}`,
      message: `${op}: 'excludeSelf' needs the queries to be the database rows (Q = N) but Q = ${q} and N = ${n}.`,
    });
  }
  checkInteger(k, { op, arg: 'k', min: 1, max: excludeSelf ? n - 1 : n });
  checkInteger(chunkSize, { op, arg: 'chunkSize', min: 1 });
  if ((queryLabels === undefined) !== (databaseLabels === undefined)) {
    const missing = queryLabels === undefined ? 'queryLabels' : 'databaseLabels';
    throw new ArgumentError({
      op,
      argument: missing,
      message: `${op}: '${missing}' is missing; give both 'queryLabels' and 'databaseLabels' or neither.`,
    });
  }
  if (queryLabels !== undefined) checkLabelsShape(queryLabels, q, op, 'queryLabels', 'queries');
  if (databaseLabels !== undefined) checkLabelsShape(databaseLabels, n, op, 'databaseLabels', 'database');
  return { q, n, k };
}

/**
 * Cosine nearest-neighbour retrieval: for every query `q_i`, the `k` database rows with the highest
 * `s_ij = <q_i / ||q_i||, x_j / ||x_j||>`, ranked, and, given labels,
 * `precision@k = (1/Q) · Σ_i (1/k) · #{ j ∈ N_k(i) : y_j = y_i }`.
 *
 * Similarities are computed in blocks of `chunkSize` queries (memory `chunkSize x N` floats), awaiting the
 * event loop between blocks. Ties are broken towards the lower database index.
 *
 * @param options - see {@link RetrieveOptions}: `queries [Q, D]`, `database [N, D]`, `k = 5`,
 *   `queryLabels? [Q]`, `databaseLabels? [N]`, `excludeSelf = false`, `chunkSize = 256`
 * @returns a promise of `{ indices, scores, precisionAtK }`: Q arrays of length k each
 * @throws ShapeError when features are not rank 2, D differs, or a label count differs from its rows;
 *   DTypeError when features are not float32; ArgumentError when `k > N` (`k > N - 1` with `excludeSelf`),
 *   only one label set is given, `excludeSelf` is set with `Q ≠ N`, or a label is not a non-negative integer
 * @example
 * ```ts
 * const { indices, precisionAtK } = await retrieve({ queries, database, k: 10, queryLabels, databaseLabels });
 * ```
 * @see Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance Discrimination", CVPR 2018
 */
export async function retrieve(options: RetrieveOptions): Promise<RetrieveResult> {
  const op = 'retrieve';
  const { q, k } = checkOptions(options);
  const { queries, database, queryLabels, databaseLabels, excludeSelf = false, chunkSize = 256 } = options;
  const qLabels =
    queryLabels === undefined ? undefined : await readLabels(queryLabels, undefined, op, 'queryLabels');
  const dLabels =
    databaseLabels === undefined
      ? undefined
      : await readLabels(databaseLabels, undefined, op, 'databaseLabels');

  const indices: Int32Array[] = [];
  const scores: Float32Array[] = [];
  let precisionSum = 0;
  const databaseT = normalizedTranspose(database); // [D, N]
  try {
    for (let start = 0; start < q; start += chunkSize) {
      const end = Math.min(q, start + chunkSize);
      const top = tf.tidy(() => {
        let similarity = cosineChunk(queries, databaseT, start, end); // [c, N]
        if (excludeSelf) {
          const self = tf.oneHot(tf.range(start, end, 1, 'int32'), databaseT.shape[1]); // [c, N]
          similarity = tf.where(tf.cast(self, 'bool'), tf.fill(similarity.shape, -Infinity), similarity);
        }
        return tf.topk(similarity, k);
      });
      const [values, rows] = await Promise.all([top.values.data(), top.indices.data()]);
      top.values.dispose();
      top.indices.dispose();
      for (let i = 0; i < end - start; i++) {
        const ranked = Int32Array.from(rows.subarray(i * k, (i + 1) * k));
        indices.push(ranked);
        scores.push(Float32Array.from(values.subarray(i * k, (i + 1) * k)));
        if (qLabels !== undefined && dLabels !== undefined) {
          const label = qLabels[start + i];
          let same = 0;
          for (const j of ranked) if (dLabels[j] === label) same++;
          precisionSum += same / k;
        }
      }
      if (end < q) await yieldToEventLoop();
    }
  } finally {
    databaseT.dispose();
  }
  return { indices, scores, precisionAtK: qLabels === undefined ? undefined : precisionSum / q };
}
