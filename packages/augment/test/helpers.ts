// Test-only helpers: random images from keys and plain-JS reference implementations.
import { createKey, type Key, LUMA_WEIGHTS, uniformValues } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** A float32 batch `[B, H, W, C]` of uniform values in [0, 1) drawn from `seed`. */
export function randomImages(seed: number, shape: [number, number, number, number]): tf.Tensor4D {
  const [b, h, w, c] = shape;
  return tf.tensor4d(uniformValues(createKey(seed), b * h * w * c), shape);
}

/** A key from a seed. */
export const key = (seed: number): Key => createKey(seed);

/** A `[B, H, W, C]` image as nested accessors over a flat Float32Array. */
export class Img {
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly [number, number, number, number],
  ) {}
  static async of(t: tf.Tensor4D): Promise<Img> {
    return new Img(Float32Array.from(await t.data()), t.shape as [number, number, number, number]);
  }
  get(b: number, y: number, x: number, c: number): number {
    const [, H, W, C] = this.shape;
    return this.data[((b * H + y) * W + x) * C + c]!;
  }
  set(b: number, y: number, x: number, c: number, v: number): void {
    const [, H, W, C] = this.shape;
    this.data[((b * H + y) * W + x) * C + c] = v;
  }
  /** Pixel (b, y, x) as an array of channels. */
  pixel(b: number, y: number, x: number): number[] {
    return Array.from({ length: this.shape[3] }, (_, c) => this.get(b, y, x, c));
  }
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** torchvision `_rgb2hsv` for one pixel, in float64. */
export function naiveRgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  const eqc = maxc === minc;
  const cr = maxc - minc;
  const s = cr / (eqc ? 1 : maxc);
  const div = eqc ? 1 : cr;
  const rc = (maxc - r) / div;
  const gc = (maxc - g) / div;
  const bc = (maxc - b) / div;
  const hr = maxc === r ? bc - gc : 0;
  const hg = maxc === g && maxc !== r ? 2 + rc - bc : 0;
  const hb = maxc !== g && maxc !== r ? 4 + gc - rc : 0;
  const h = ((hr + hg + hb) / 6 + 1) % 1;
  return [h, s, maxc];
}

/** torchvision `_hsv2rgb` (six sectors) for one pixel, in float64. */
export function naiveHsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const i0 = Math.floor(h * 6);
  const f = h * 6 - i0;
  const i = ((i0 % 6) + 6) % 6;
  const p = clamp01(v * (1 - s));
  const q = clamp01(v * (1 - s * f));
  const t = clamp01(v * (1 - s * (1 - f)));
  return (
    [
      [v, t, p],
      [q, v, p],
      [p, v, t],
      [p, q, v],
      [t, p, v],
      [v, p, q],
    ] as [number, number, number][]
  )[i]!;
}

/** Grey level of a pixel: BT.601 for 3 channels, the value itself for 1. */
export const grayOf = (px: readonly number[]): number =>
  px.length === 3 ? LUMA_WEIGHTS[0] * px[0]! + LUMA_WEIGHTS[1] * px[1]! + LUMA_WEIGHTS[2] * px[2]! : px[0]!;

/** Applies `fn` to every pixel of sample `b` in place. */
export function mapPixels(img: Img, b: number, fn: (px: number[]) => number[]): void {
  const [, H, W, C] = img.shape;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const out = fn(img.pixel(b, y, x));
      for (let c = 0; c < C; c++) img.set(b, y, x, c, out[c]!);
    }
}

/** torchvision's ColorJitter on sample `b` of `img` (in place) with the given order and factors. */
export function naiveJitter(
  img: Img,
  b: number,
  order: readonly number[],
  factors: { brightness: number; contrast: number; saturation: number; hue: number },
): void {
  const [, H, W, C] = img.shape;
  for (const op of order) {
    if (op === 0) mapPixels(img, b, (px) => px.map((v) => clamp01(v * factors.brightness)));
    if (op === 1) {
      let sum = 0;
      for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) sum += grayOf(img.pixel(b, y, x));
      const mean = sum / (H * W);
      const f = factors.contrast;
      mapPixels(img, b, (px) => px.map((v) => clamp01(f * v + (1 - f) * mean)));
    }
    if (op === 2 && C === 3) {
      const f = factors.saturation;
      mapPixels(img, b, (px) => {
        const g = grayOf(px);
        return px.map((v) => clamp01(f * v + (1 - f) * g));
      });
    }
    if (op === 3 && C === 3) {
      mapPixels(img, b, (px) => {
        const [h, s, v] = naiveRgbToHsv(px[0]!, px[1]!, px[2]!);
        const shifted = (((h + factors.hue) % 1) + 1) % 1;
        return naiveHsvToRgb(shifted, s, v);
      });
    }
  }
}
