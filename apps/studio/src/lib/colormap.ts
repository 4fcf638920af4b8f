/** Viridis, sampled at 9 stops (matplotlib's), interpolated linearly. */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The viridis colour of `t` in [0, 1] (clamped), as `[r, g, b]` bytes. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

/** The range `[min, max]` of the finite values, `[0, 1]` when there are none. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [0, 1];
}

/** RGBA bytes of a one-channel map through viridis, `min`..`max` mapped to 0..1. */
export function colorize(values: ArrayLike<number>, min: number, max: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const span = max > min ? max - min : 1;
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = viridis((values[i]! - min) / span);
    out[4 * i] = r;
    out[4 * i + 1] = g;
    out[4 * i + 2] = b;
    out[4 * i + 3] = 255;
  }
  return out;
}

/** RGBA bytes of an image in [0, 1] with 1 (grey) or 3 (RGB) channels, HWC order. */
export function toRgba(values: ArrayLike<number>, channels: number): Uint8ClampedArray {
  const pixels = values.length / channels;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < 3; k++) out[4 * p + k] = 255 * values[p * channels + (channels === 1 ? 0 : k)]!;
    out[4 * p + 3] = 255;
  }
  return out;
}
