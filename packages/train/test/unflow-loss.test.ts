import { ArgumentError, createKey, ShapeError, uniform } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/config/train-config';
import { UNFLOW_OPTIONS } from '../src/flow/flow-options';
import { photometricAugment } from '../src/flow/photometric-augment';
import {
  forwardBackwardConsistency,
  inBoundsMask,
  secondOrderSmoothness,
  unflowLoss,
} from '../src/flow/unflow-loss';

/** UnFlow's robust penalty, by hand. */
const rho = (x: number) => (x * x + 1e-6) ** 0.45;

/** A `[1, H, W, 2]` flow from a function of (y, x). */
function field(h: number, w: number, f: (y: number, x: number) => [number, number]): tf.Tensor4D {
  const values = new Float32Array(h * w * 2);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [u, v] = f(y, x);
      values[2 * (y * w + x)] = u;
      values[2 * (y * w + x) + 1] = v;
    }
  return tf.tensor4d(values, [1, h, w, 2]);
}

const scalar = async (t: tf.Tensor) => {
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
};

/** Central differences of `f` at a few entries of `x`, against `tf.grad`. */
async function checkGradient(f: (x: tf.Tensor4D) => tf.Scalar, x: tf.Tensor4D, entries: readonly number[]) {
  const analytic = tf.grad((t: tf.Tensor) => f(t as tf.Tensor4D))(x);
  const a = await analytic.data();
  analytic.dispose();
  const base = Float32Array.from(await x.data());
  const h = 2e-3;
  for (const i of entries) {
    const at = async (delta: number) => {
      const v = Float32Array.from(base);
      v[i]! += delta;
      const t = tf.tensor4d(v, x.shape);
      const out = await scalar(f(t));
      t.dispose();
      return out;
    };
    const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
    expect(a[i]).toBeCloseTo(numeric, 2);
  }
}

describe('secondOrderSmoothness', () => {
  it('is the penalty floor for an affine flow and matches a hand count for u = x^2', async () => {
    const [h, w] = [5, 6];
    const interior = (h - 2) * (w - 2);
    const affine = field(h, w, (y, x) => [0.5 * x - 2, 3 * y + x]);
    // Every second difference of an affine field is 0: 2 channels x 4 stencils of rho(0) per interior pixel.
    expect(await scalar(secondOrderSmoothness(affine))).toBeCloseTo((8 * rho(0) * interior) / (h * w * 4), 6);
    // u = x^2: second difference 2 along x and both diagonals, 0 along y; v = 0.
    const quadratic = field(h, w, (_y, x) => [x * x, 0]);
    const expected = ((3 * rho(2) + 5 * rho(0)) * interior) / (h * w * 4);
    expect(await scalar(secondOrderSmoothness(quadratic))).toBeCloseTo(expected, 5);
    tf.dispose([affine, quadratic]);
  });

  it('has the finite-difference gradient', async () => {
    const flow = tf.mul(uniform(createKey(3), [1, 5, 5, 2]), 4) as tf.Tensor4D;
    await checkGradient((f) => secondOrderSmoothness(f), flow, [0, 13, 24, 37, 49]);
    flow.dispose();
  });

  it('names the argument when the flow is not [B, H, W, 2] or smaller than 3x3, and frees its intermediates', () => {
    const before = tf.memory().numTensors;
    const small = tf.zeros([1, 2, 5, 2]);
    const wrong = tf.zeros([1, 4, 4, 3]);
    expect(() => secondOrderSmoothness(small as tf.Tensor4D)).toThrow(ShapeError);
    expect(() => secondOrderSmoothness(small as tf.Tensor4D)).toThrow(/'flow'.*at least 3/);
    expect(() => secondOrderSmoothness(wrong as tf.Tensor4D)).toThrow(ShapeError);
    tf.dispose([small, wrong]);
    const ok = tf.ones([2, 4, 4, 2]) as tf.Tensor4D;
    secondOrderSmoothness(ok).dispose();
    ok.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('inBoundsMask', () => {
  it('is 0 where x + flow leaves the image', async () => {
    const flow = field(2, 3, () => [1, 0]); // one pixel right: the last column leaves
    const mask = inBoundsMask(flow);
    expect(Array.from(await mask.data())).toEqual([1, 1, 0, 1, 1, 0]);
    const up = field(2, 3, () => [0, -1]); // one pixel up: the first row leaves
    const upMask = inBoundsMask(up);
    expect(Array.from(await upMask.data())).toEqual([0, 0, 0, 1, 1, 1]);
    tf.dispose([flow, mask, up, upMask]);
  });

  it('is a constant to the gradient', async () => {
    const flow = field(3, 3, () => [0.5, 0.5]);
    const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(inBoundsMask(f as tf.Tensor4D), f)))(flow);
    // d/df sum(mask * f) with a constant mask is the mask itself, per channel.
    const mask = inBoundsMask(flow);
    const expected = tf.concat([mask, mask], 3);
    expect(Array.from(await g.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([flow, g, mask, expected]);
  });
});

describe('forwardBackwardConsistency', () => {
  it('is the floor for opposite constant flows and rho of the mismatch otherwise', async () => {
    const [h, w] = [4, 5];
    const fw = field(h, w, () => [1, 0]);
    const bw = field(h, w, () => [-1, 0]);
    const half = field(h, w, () => [-0.5, 0]);
    const ones = tf.ones([1, h, w, 1]) as tf.Tensor4D;
    expect(await scalar(forwardBackwardConsistency(fw, bw, ones))).toBeCloseTo(rho(0), 6);
    // w_f + w_b' = (0.5, 0) everywhere (the border padding keeps the constant field constant).
    expect(await scalar(forwardBackwardConsistency(fw, half, ones))).toBeCloseTo((rho(0.5) + rho(0)) / 2, 6);
    // Masking half the pixels halves the sum; the normalisation stays B·H·W·2.
    const left = field(h, w, (_y, x) => [x < 2 ? 1 : 0, 0]);
    const mask = tf.slice(left, [0, 0, 0, 0], [-1, -1, -1, 1]) as tf.Tensor4D; // columns 0, 1
    expect(await scalar(forwardBackwardConsistency(fw, half, mask))).toBeCloseTo(
      ((rho(0.5) + rho(0)) * 2 * h) / (h * w * 2),
      6,
    );
    tf.dispose([fw, bw, half, ones, left, mask]);
  });

  it('has the finite-difference gradient in both flows', async () => {
    const key = createKey(5);
    // Fractional flows in (0.2, 0.8): no bilinear cell edge within the step, and w_f + w_b' >= 0.4,
    // away from the penalty's kink at 0.
    const fw = uniform(key, [1, 4, 4, 2], { min: 0.2, max: 0.8 }) as tf.Tensor4D;
    const bw = uniform(createKey(6), [1, 4, 4, 2], { min: 0.2, max: 0.8 }) as tf.Tensor4D;
    const mask = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    await checkGradient((f) => forwardBackwardConsistency(f, bw, mask), fw, [0, 7, 18, 31]);
    await checkGradient((b) => forwardBackwardConsistency(fw, b, mask), bw, [2, 11, 20, 29]);
    tf.dispose([fw, bw, mask]);
  });

  it('names mismatched shapes', () => {
    const fw = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    const bw = tf.zeros([1, 4, 5, 2]) as tf.Tensor4D;
    const mask = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    expect(() => forwardBackwardConsistency(fw, bw, mask)).toThrow(ShapeError);
    expect(() => forwardBackwardConsistency(fw, bw, mask)).toThrow(/flowBw/);
    tf.dispose([fw, bw, mask]);
  });
});

describe('unflowLoss', () => {
  /** A textured 16x16 image and the same shifted two pixels right (frame 2), so the true flow is (2, 0). */
  function shiftedPair() {
    const base = uniform(createKey(9), [1, 16, 20, 3]);
    const frame1 = tf.slice(base, [0, 0, 2, 0], [-1, -1, 16, -1]) as tf.Tensor4D;
    const frame2 = tf.slice(base, [0, 0, 0, 0], [-1, -1, 16, -1]) as tf.Tensor4D; // I2(x + 2) = I1(x)
    base.dispose();
    return { frame1, frame2 };
  }

  it('is lower at the true flow than at zero flow, and returns scalar terms it does not leak', async () => {
    const { frame1, frame2 } = shiftedPair();
    const before = tf.memory().numTensors;
    const options = { levelWeights: [1], censusRadii: [1], occlusionMask: false };
    const score = async (u: number, dataTerm: 'census' | 'photometric' = 'census') => {
      const fw = field(16, 16, () => [u, 0]);
      const bw = field(16, 16, () => [-u, 0]);
      const { loss, terms } = unflowLoss([fw], [bw], frame1, frame2, { ...options, dataTerm });
      expect(Object.keys(terms).sort()).toEqual(['consistency', 'data', 'occluded', 'smoothness']);
      for (const t of Object.values(terms)) expect(t.shape).toEqual([]);
      const value = (await loss.data())[0]!;
      tf.dispose([fw, bw, loss, ...Object.values(terms)]);
      return value;
    };
    expect(await score(2)).toBeLessThan(0.5 * (await score(0)));
    expect(await score(2, 'photometric')).toBeLessThan(0.5 * (await score(0, 'photometric')));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([frame1, frame2]);
  });

  it('masks the data term with the fb check (an inconsistent pixel drops out) and keeps its gradient finite', async () => {
    const { frame1, frame2 } = shiftedPair();
    const fw = field(16, 16, () => [2, 0]);
    const bw = field(16, 16, () => [-2, 0]);
    const g = tf.grads(
      (f: tf.Tensor, b: tf.Tensor) =>
        unflowLoss([f as tf.Tensor4D], [b as tf.Tensor4D], frame1, frame2, {
          levelWeights: [1],
          censusRadii: [1],
        }).loss,
    )([fw, bw]);
    for (const t of g) expect(Array.from(await t.data()).every(Number.isFinite)).toBe(true);
    const { terms } = unflowLoss([fw], [bw], frame1, frame2, { levelWeights: [1], censusRadii: [1] });
    // Only the out-of-bounds columns (the last two, x + 2 > 15) are masked in the forward direction.
    expect((await terms.occluded.data())[0]).toBeCloseTo(2 / 16, 6);
    tf.dispose([frame1, frame2, fw, bw, ...g, ...Object.values(terms)]);
  });

  it('throws typed errors for mismatched outputs, sizes and options', () => {
    const { frame1, frame2 } = shiftedPair();
    const fw = tf.zeros([1, 16, 16, 2]) as tf.Tensor4D;
    const odd = tf.zeros([1, 6, 6, 2]) as tf.Tensor4D;
    expect(() => unflowLoss([fw], [], frame1, frame2)).toThrow(ArgumentError);
    expect(() => unflowLoss([odd], [odd], frame1, frame2)).toThrow(ShapeError);
    expect(() => unflowLoss([fw], [fw], frame1, frame2, { weight: 1 } as never)).toThrow(ArgumentError);
    tf.dispose([frame1, frame2, fw, odd]);
  });
});

describe('photometricAugment', () => {
  it('is keyed, keeps values in [0, 1], draws the same change for both frames, and copies when disabled', async () => {
    const image = uniform(createKey(1), [2, 8, 8, 3]) as tf.Tensor4D;
    const settings = { ...UNFLOW_OPTIONS.augment, enabled: true, noise: 0 };
    const [a1, a2] = photometricAugment(image, image, createKey(4), settings);
    const [b1] = photometricAugment(image, image, createKey(4), settings);
    const v1 = await a1.data();
    expect(Array.from(v1)).toEqual(Array.from(await a2.data())); // same draw for both frames of a pair
    expect(Array.from(v1)).toEqual(Array.from(await b1.data())); // same key, same augmentation
    expect(v1.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Array.from(v1)).not.toEqual(Array.from(await image.data()));
    const [c1] = photometricAugment(image, image, createKey(4), { ...settings, enabled: false });
    expect(Array.from(await c1.data())).toEqual(Array.from(await image.data()));
    tf.dispose([image, a1, a2, b1, c1]);
  });
});

describe('unflow options', () => {
  it('names the field of an invalid option', () => {
    const config = (method: Record<string, unknown>) =>
      resolveTrainConfig({ method: { name: 'unflow', ...method } });
    expect(() => config({ height: 40 })).toThrow(/method\.height/);
    expect(() => config({ flowNet: { ...UNFLOW_OPTIONS.flowNet, widths: [8, 8] } })).toThrow(
      /method\.flowNet\.widths/,
    );
    expect(() => config({ smoothness: -1 })).toThrow(ArgumentError);
    expect(() => config({ dataTerm: 'l2' })).toThrow(/method\.dataTerm/);
    expect(config({}).method['census']).toBe(1);
  });
});
