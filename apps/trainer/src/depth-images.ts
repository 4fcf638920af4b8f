import sharp from 'sharp';

/** Magma-like control points (t, r, g, b), for disparity maps: dark is far, bright is near. */
const MAGMA: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 4],
  [0.25, 80, 18, 123],
  [0.5, 183, 55, 121],
  [0.75, 252, 137, 97],
  [1, 252, 253, 191],
];

/** Maps `t` in [0, 1] to an RGB colour of the magma-like ramp. */
export function colormap(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < MAGMA.length; i++) {
    const [t1, r1, g1, b1] = MAGMA[i]!;
    if (x <= t1) {
      const [t0, r0, g0, b0] = MAGMA[i - 1]!;
      const f = (x - t0) / (t1 - t0);
      return [r0 + f * (r1 - r0), g0 + f * (g1 - g0), b0 + f * (b1 - b0)];
    }
  }
  return [252, 253, 191];
}

/**
 * A single-channel map `[H, W]` (e.g. a disparity) as colours: values scaled by `max` (default the
 * 95th percentile, Monodepth2's display convention) and coloured with {@link colormap}.
 */
export function colorize(values: ArrayLike<number>, max?: number): Uint8Array {
  let top = max;
  if (top === undefined) {
    const sorted = Float32Array.from(values).sort();
    top = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 1;
  }
  const out = new Uint8Array(values.length * 3);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = colormap(values[i]! / (top || 1));
    out[3 * i] = r;
    out[3 * i + 1] = g;
    out[3 * i + 2] = b;
  }
  return out;
}

/** RGB floats in [0, 1] `[H, W, 3]` as bytes. */
export function rgbBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, values[i]!)) * 255);
  return out;
}

/** RGB bytes `[H, W, 3]` as a PNG data URI (sharp). */
export async function pngDataUri(rgb: Uint8Array, height: number, width: number): Promise<string> {
  const png = await sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
