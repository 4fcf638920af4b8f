import { ArgumentError, DTypeError, ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, gradCheck } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectFinite, naiveSample, seeded, seededTensor } from '../../test/helpers';
import { bilinearSample } from './bilinear-sample';
import { meshgrid } from './meshgrid';

/** Coordinates `integer + fraction` with the fraction in [0.2, 0.8]: away from the bilinear kinks. */
function offKinkCoords(
  seed: number,
  shape: [number, number, number],
  low: number,
  high: number,
): tf.Tensor4D {
  const n = shape[0] * shape[1] * shape[2] * 2;
  const whole = seeded(seed, n, low, high);
  const frac = seeded(seed + 1, n, 0.2, 0.8);
  return tf.tensor4d(
    whole.map((v, i) => Math.floor(v) + frac[i]!),
    [...shape, 2],
  );
}

describe('bilinearSample', () => {
  it('returns the pixels exactly at integer coordinates (the identity grid)', async () => {
    const image = seededTensor<tf.Rank.R4>(1, [2, 5, 7, 3]);
    const grid = meshgrid(2, 5, 7);
    for (const padding of ['zeros', 'border'] as const) {
      const out = bilinearSample(image, grid, { padding });
      expect(out.shape).toEqual([2, 5, 7, 3]);
      await expectTensorClose(out, image, { rtol: 0, atol: 0 });
      out.dispose();
    }
    tf.dispose([image, grid]);
  });

  it('shifts by one pixel: x + 1 reads the right neighbour, zeros or the edge past the border', async () => {
    const image = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    const coords = tf.add(meshgrid(1, 2, 3), tf.tensor1d([1, 0])) as tf.Tensor4D;
    const zeros = bilinearSample(image, coords);
    await expectTensorClose(zeros, [
      [
        [[2], [3], [0]],
        [[5], [6], [0]],
      ],
    ]);
    const border = bilinearSample(image, coords, { padding: 'border' });
    await expectTensorClose(border, [
      [
        [[2], [3], [3]],
        [[5], [6], [6]],
      ],
    ]);
    const half = bilinearSample(image, tf.tensor4d([0.5, 0.5, 2.5, 0], [1, 1, 2, 2]));
    await expectTensorClose(half, [[[[3], [1.5]]]]); // mean of 1,2,4,5; half of 3 and a zero
    tf.dispose([image, coords, zeros, border, half]);
  });

  it('matches a naive loop on random inputs, including coordinates outside the image', async () => {
    const shape = [2, 4, 5, 3];
    const image = seededTensor<tf.Rank.R4>(2, shape);
    const coords = tf.tensor4d(Array.from(seeded(3, 2 * 6 * 4 * 2, -3, 8)), [2, 6, 4, 2]);
    const [imageValues, coordValues] = [await image.data(), await coords.data()];
    for (const padding of ['zeros', 'border'] as const) {
      const out = bilinearSample(image, coords, { padding });
      expect(out.shape).toEqual([2, 6, 4, 3]);
      await expectTensorClose(
        out,
        Float32Array.from(naiveSample(imageValues, shape, coordValues, [6, 4], padding)),
      );
      out.dispose();
    }
    tf.dispose([image, coords]);
  });

  it('reads far-away, infinite and NaN coordinates as outside, without NaN', async () => {
    const image = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const coords = tf.tensor4d([1e9, 0, -1e9, 1, Number.NaN, 0, Number.POSITIVE_INFINITY, 1], [1, 1, 4, 2]);
    const zeros = bilinearSample(image, coords);
    await expectTensorClose(zeros, [[[[0], [0], [0], [0]]]]);
    const border = bilinearSample(image, coords, { padding: 'border' });
    await expectTensorClose(border, [[[[2], [3], [1], [4]]]]);
    const g = tf.grad((c: tf.Tensor) => tf.sum(bilinearSample(image, c as tf.Tensor4D)))(coords);
    await expectFinite(g);
    tf.dispose([image, coords, zeros, border, g]);
  });

  for (const padding of ['zeros', 'border'] as const) {
    it(`has the right gradients w.r.t. image and coordinates ('${padding}', finite differences)`, async () => {
      const image = seededTensor<tf.Rank.R4>(4, [2, 4, 5, 2]);
      // Some coordinates outside the image (but off the kinks); 'border' is flat there.
      const coords = offKinkCoords(5, [2, 3, 3], -1.5, 5.5);
      const weights = seededTensor<tf.Rank.R4>(7, [2, 3, 3, 2], -1, 1);
      const loss = (im: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(bilinearSample(im as tf.Tensor4D, c as tf.Tensor4D, { padding }), weights));
      const report = await gradCheck(loss, [image, coords], { maxEntries: 40, eps: 1e-2 });
      expect(report.checked).toBe(76);
      // The coordinate gradient is not trivially zero.
      const g = tf.grad((c: tf.Tensor) => loss(image, c))(coords);
      expect(Math.max(...Array.from(await tf.abs(g).data()))).toBeGreaterThan(0.05);
      tf.dispose([image, coords, weights, g]);
    });
  }

  it('trains: gradients w.r.t. a variable image and coordinates on this backend', async () => {
    const target = seededTensor<tf.Rank.R4>(8, [1, 6, 6, 1]);
    const coords = tf.variable(tf.add(meshgrid(1, 6, 6), 0.3), true);
    const image = tf.variable(tf.zeros([1, 6, 6, 1]), true) as tf.Variable<tf.Rank.R4>;
    const start = tf.clone(coords);
    const optimizer = tf.train.sgd(0.3);
    const lossOf = () =>
      tf.sum(tf.square(tf.sub(bilinearSample(image, coords as tf.Tensor4D), target))) as tf.Scalar;
    const first = lossOf();
    for (let i = 0; i < 10; i++) optimizer.minimize(lossOf, false, [image, coords]);
    const last = lossOf();
    expect((await last.data())[0]!).toBeLessThan((await first.data())[0]! * 0.5);
    // Both variables moved: the gradient reached the coordinates too.
    const moved = tf.max(tf.abs(tf.sub(coords, start)));
    expect((await moved.data())[0]!).toBeGreaterThan(1e-3);
    tf.dispose([target, coords, image, start, first, last, moved]);
    optimizer.dispose();
  });

  it('does not leak', async () => {
    const image = seededTensor<tf.Rank.R4>(9, [1, 3, 3, 1]);
    const coords = tf.add(meshgrid(1, 3, 3), 0.5) as tf.Tensor4D;
    await expectNoLeaks(() => bilinearSample(image, coords));
    await expectNoLeaks(() => bilinearSample(image, coords, { padding: 'border' }));
    await expectNoLeaks(() =>
      tf.grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(bilinearSample(a as tf.Tensor4D, c as tf.Tensor4D)))([
        image,
        coords,
      ]),
    );
    tf.dispose([image, coords]);
  });

  it('rejects bad inputs with typed errors', () => {
    const image = tf.zeros([2, 3, 3, 1]) as tf.Tensor4D;
    const coords = tf.zeros([2, 3, 3, 2]) as tf.Tensor4D;
    expect(() => bilinearSample(tf.zeros([3, 3, 1]) as unknown as tf.Tensor4D, coords)).toThrow(
      "bilinearSample: 'image' has shape [3,3,1] (rank 3) but expected [B,H,W,C] (rank 4). Maps are batched [B,H,W,C]; add a batch dimension",
    );
    expect(() => bilinearSample(image, tf.zeros([1, 3, 3, 2]) as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => bilinearSample(image, tf.zeros([1, 3, 3, 2]) as tf.Tensor4D)).toThrow(
      "bilinearSample: 'coords' has shape [1,3,3,2] but 'image' has [2,3,3,1]; 'B' must be the same size in both (2 vs 1).",
    );
    expect(() => bilinearSample(image, tf.zeros([2, 3, 3, 3]) as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => bilinearSample(tf.zeros([2, 3, 3, 1], 'int32') as tf.Tensor4D, coords)).toThrow(DTypeError);
    expect(() => bilinearSample(image, coords, { padding: 'reflect' as 'zeros' })).toThrow(
      "bilinearSample: 'padding' is 'reflect' but expected 'zeros' or 'border'.",
    );
    expect(() => bilinearSample(image, coords, { padding: 'reflect' as 'zeros' })).toThrow(ArgumentError);
    tf.dispose([image, coords]);
  });
});

describe('meshgrid', () => {
  it('holds (x, y) with pixel centres at integers', async () => {
    const grid = meshgrid(2, 2, 3);
    const one = [
      [
        [0, 0],
        [1, 0],
        [2, 0],
      ],
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    ];
    await expectTensorClose(grid, [one, one]);
    grid.dispose();
    await expectNoLeaks(() => meshgrid(1, 4, 5));
    expect(() => meshgrid(0, 2, 2)).toThrow("meshgrid: 'batch' is 0 but expected an integer >= 1.");
    expect(() => meshgrid(1, 2.5, 2)).toThrow(ArgumentError);
  });
});
