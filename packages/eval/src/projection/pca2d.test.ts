import { ArgumentError, createKey, normalValues } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { pca2d, principalAxes } from './pca2d';

const dims = 5;
const rows = 400;
// Orthonormal axes of R^5: u1 = (1, 1, 0, 0, 0)/√2, u2 = (0, 0, 1, 1, 1)/√3 (and three more we don't need).
const u1 = [1, 1, 0, 0, 0].map((v) => v / Math.SQRT2);
const u2 = [0, 0, 1, 1, 1].map((v) => v / Math.sqrt(3));
const u3 = [1, -1, 0, 0, 0].map((v) => v / Math.SQRT2);

/** Points `mean + 5 a u1 + 2 b u2 + 0.3 c u3`, with a, b, c standard normal: variances 25, 4, 0.09 along u1, u2, u3. */
function stretched(): Float32Array {
  const z = normalValues(createKey(41), rows * 3);
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < dims; j++) {
      out[i * dims + j] =
        10 + 5 * z[3 * i]! * u1[j]! + 2 * z[3 * i + 1]! * u2[j]! + 0.3 * z[3 * i + 2]! * u3[j]!;
    }
  }
  return out;
}

/** Sample covariance of two columns, float64. */
function covariance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let c = 0;
  for (let i = 0; i < n; i++) c += ((a[i]! - ma) * (b[i]! - mb)) / (n - 1);
  return c;
}

describe('pca2d', () => {
  const values = stretched();
  const features = tf.tensor2d(values, [rows, dims]);

  it('recovers the stretch axes up to sign, largest variance first', async () => {
    const { components, variances } = principalAxes(features, true, 100, createKey(0));
    const w = (await components.array()) as number[][]; // [D, 2]
    const first = w.map((r) => r[0]!);
    const second = w.map((r) => r[1]!);
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    expect(Math.abs(dot(first, u1))).toBeGreaterThan(0.999);
    expect(Math.abs(dot(second, u2))).toBeGreaterThan(0.999);
    // The eigenvalues are the sample variances along the recovered axes, computed here by a loop.
    const along = (u: number[]) =>
      Array.from({ length: rows }, (_, i) => u.reduce((s, v, j) => s + v * values[i * dims + j]!, 0));
    const [l1, l2] = (await variances.array()) as number[];
    expect(l1!).toBeGreaterThan(l2!);
    expect(l1!).toBeCloseTo(covariance(along(first), along(first)), 2);
    expect(l2!).toBeCloseTo(covariance(along(second), along(second)), 2);
    tf.dispose([components, variances]);
  });

  it('returns orthonormal components', async () => {
    const { components, variances } = principalAxes(features, true, 100, createKey(3));
    const gram = tf.matMul(components, components, true, false);
    await expectTensorClose(
      gram,
      [
        [1, 0],
        [0, 1],
      ],
      { atol: 1e-5, rtol: 0 },
    );
    tf.dispose([components, variances, gram]);
  });

  it('projects onto the components: uncorrelated columns with decreasing variance', async () => {
    const projected = pca2d(features);
    expect(projected.shape).toEqual([rows, 2]);
    const p = await projected.data();
    const a = Array.from({ length: rows }, (_, i) => p[2 * i]!);
    const b = Array.from({ length: rows }, (_, i) => p[2 * i + 1]!);
    expect(covariance(a, a)).toBeGreaterThan(covariance(b, b));
    expect(Math.abs(covariance(a, b))).toBeLessThan(1e-3 * covariance(a, a));
    // Centred: each column has zero mean.
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / rows)).toBeLessThan(1e-3);
    projected.dispose();
  });

  it('is deterministic (signs fixed) for any key, and leaks nothing', async () => {
    const a = pca2d(features, { key: createKey(1) });
    const b = pca2d(features, { key: createKey(2) });
    await expectTensorClose(a, b, { atol: 1e-3, rtol: 1e-3 });
    tf.dispose([a, b]);
    await expectNoLeaks(() => pca2d(features, { iterations: 10 }));
  });

  it('names bad input', () => {
    const one = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => pca2d(one)).toThrow(
      "pca2d: 'features' is [1,3] but expected [N, D] with N >= 2 and D >= 2.",
    );
    expect(() => pca2d(features, { iterations: 0 })).toThrow(
      "pca2d: 'iterations' is 0 but expected an integer >= 1.",
    );
    const flat = tf.zeros([3]);
    expect(() => pca2d(flat as never)).toThrow(
      "pca2d: 'features' has shape [3] (rank 1) but expected [N,D] (rank 2).",
    );
    flat.dispose();
    expect(() => pca2d(features, { key: 5 as never })).toThrow(ArgumentError);
    one.dispose();
  });
});
