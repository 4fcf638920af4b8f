import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Central-difference step. Default 1e-3 (float32: smaller steps drown in rounding). */
  readonly eps?: number;
  /** Relative tolerance against the numeric gradient. Default 1e-2. */
  readonly rtol?: number;
  /** Absolute tolerance. Default 1e-3. */
  readonly atol?: number;
  /** Entries checked per input, evenly spaced (all when the input is smaller). Default 48. */
  readonly maxEntries?: number;
  /** Indices of the inputs to check. Default all. */
  readonly check?: readonly number[];
}

/** What {@link gradCheck} measured. */
export interface GradCheckReport {
  readonly checked: number;
  readonly maxAbsError: number;
  readonly maxRelError: number;
}

/**
 * Checks the analytic gradient of a scalar function against central differences
 * `(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`, on evenly spaced entries of each input.
 * Throws when `|analytic - numeric| > atol + rtol * |numeric|` anywhere, naming the input and entry.
 *
 * @param fn - scalar-valued function of the inputs (it may reduce however it likes)
 * @param inputs - float32 tensors; they are not modified
 */
export async function gradCheck(
  fn: (...xs: tf.Tensor[]) => tf.Scalar | tf.Tensor,
  inputs: readonly tf.Tensor[],
  { eps = 1e-3, rtol = 1e-2, atol = 1e-3, maxEntries = 48, check }: GradCheckOptions = {},
): Promise<GradCheckReport> {
  const which = check ?? inputs.map((_, i) => i);
  const analytic = tf.tidy(() =>
    tf.grads((...xs: tf.Tensor[]) => tf.sum(fn(...xs)) as tf.Scalar)([...inputs]),
  );
  let checked = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  const failures: string[] = [];
  try {
    for (const k of which) {
      const input = inputs[k]!;
      const base = await input.data();
      const grad = await analytic[k]!.data();
      const n = base.length;
      const step = Math.max(1, Math.floor(n / maxEntries));
      for (let i = 0, local = 0; i < n && local < maxEntries; i += step, local++) {
        // Read asynchronously: WebGPU in Node has no synchronous read-back (no OffscreenCanvas).
        const evalAt = async (delta: number): Promise<number> => {
          const total = tf.tidy(() => {
            const copy = Float32Array.from(base as Float32Array);
            copy[i] = copy[i]! + delta;
            const xs = inputs.map((x, j) => (j === k ? tf.tensor(copy, x.shape, 'float32') : x));
            return tf.sum(fn(...xs));
          });
          const value = (await total.data())[0]!;
          total.dispose();
          return value;
        };
        const numeric = ((await evalAt(eps)) - (await evalAt(-eps))) / (2 * eps);
        const a = grad[i]!;
        const err = Math.abs(a - numeric);
        maxAbsError = Math.max(maxAbsError, err);
        maxRelError = Math.max(maxRelError, err / Math.max(Math.abs(numeric), 1e-12));
        if (!(err <= atol + rtol * Math.abs(numeric))) {
          failures.push(`input ${k} entry ${i}: analytic ${a} vs numeric ${numeric}`);
        }
        checked++;
      }
    }
  } finally {
    tf.dispose(analytic);
  }
  if (failures.length > 0) {
    throw new Error(
      `gradCheck: ${failures.length} of ${checked} entries differ (eps ${eps}, rtol ${rtol}, atol ${atol}); ` +
        `first: ${failures.slice(0, 3).join('; ')}`,
    );
  }
  return { checked, maxAbsError, maxRelError };
}
