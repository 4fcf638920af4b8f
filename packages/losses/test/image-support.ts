// Test-only helpers for the photometric losses: seeded images and float64 building blocks for the naive
// reference loops (NHWC, row-major).
import { createKey, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

export type Shape4 = readonly [number, number, number, number];

/** A seeded float32 `[B, H, W, C]` tensor uniform in `[min, max)` and the values it holds. */
export function seededImages(
  seed: number,
  shape: Shape4,
  min = 0,
  max = 1,
): { tensor: tf.Tensor4D; values: Float32Array } {
  const values = uniformValues(
    createKey(seed),
    shape.reduce((a, b) => a * b, 1),
    min,
    max,
  );
  return { tensor: tf.tensor4d(values, [...shape], 'float32'), values };
}

/** Read access to a row-major NHWC array. */
export class Img {
  constructor(
    readonly values: ArrayLike<number>,
    readonly shape: Shape4,
  ) {}
  get b(): number {
    return this.shape[0];
  }
  get h(): number {
    return this.shape[1];
  }
  get w(): number {
    return this.shape[2];
  }
  get c(): number {
    return this.shape[3];
  }
  at(b: number, y: number, x: number, c: number): number {
    const [, h, w, ch] = this.shape;
    return this.values[((b * h + y) * w + x) * ch + c] as number;
  }
}

/** Reflection (no edge repeat) of index `i` into `[0, n)`, PyTorch's ReflectionPad for |overhang| < n. */
export function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/** A `[B, H, W, 1]` float64 map filled by `f(b, y, x)`. */
export function pixelMap(
  [b, h, w]: readonly number[],
  f: (b: number, y: number, x: number) => number,
): Float64Array {
  const out = new Float64Array((b as number) * (h as number) * (w as number));
  let i = 0;
  for (let n = 0; n < (b as number); n++)
    for (let y = 0; y < (h as number); y++) for (let x = 0; x < (w as number); x++) out[i++] = f(n, y, x);
  return out;
}

export function sumOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return s;
}

export function meanOf(xs: ArrayLike<number>): number {
  return sumOf(xs) / xs.length;
}

/** Monodepth2's SSIM dissimilarity per pixel (mean over channels), reflection-padded 3x3 box, float64. */
export function naiveSsimLoss(x: Img, y: Img): Float64Array {
  const c1 = 0.01 ** 2;
  const c2 = 0.03 ** 2;
  return pixelMap(x.shape, (b, py, px) => {
    let total = 0;
    for (let c = 0; c < x.c; c++) {
      let mx = 0;
      let my = 0;
      let xx = 0;
      let yy = 0;
      let xy = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy0 = reflect(py + dy, x.h);
          const xx0 = reflect(px + dx, x.w);
          const a = x.at(b, yy0, xx0, c);
          const v = y.at(b, yy0, xx0, c);
          mx += a / 9;
          my += v / 9;
          xx += (a * a) / 9;
          yy += (v * v) / 9;
          xy += (a * v) / 9;
        }
      }
      const sx = xx - mx * mx;
      const sy = yy - my * my;
      const sxy = xy - mx * my;
      const ssim = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sx + sy + c2));
      total += Math.min(Math.max((1 - ssim) / 2, 0), 1);
    }
    return total / x.c;
  });
}

/** Mean over channels of `|x - y|` per pixel, float64. */
export function naiveL1(x: Img, y: Img): Float64Array {
  return pixelMap(x.shape, (b, py, px) => {
    let s = 0;
    for (let c = 0; c < x.c; c++) s += Math.abs(x.at(b, py, px, c) - y.at(b, py, px, c));
    return s / x.c;
  });
}
