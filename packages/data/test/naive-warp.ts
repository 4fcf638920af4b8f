// Naive reference loops for the synthetic-data tests: bilinear sampling and photometric residuals,
// written independently of the renderer's own correspondence code.

/** Bilinear sample of an `[H, W, C]` image at (x, y) into `out`; false outside `[0, W-1] x [0, H-1]`. */
export function bilinear(
  image: Float32Array,
  height: number,
  width: number,
  channels: number,
  x: number,
  y: number,
  out: Float64Array,
): boolean {
  if (!(x >= 0 && x <= width - 1 && y >= 0 && y <= height - 1)) return false;
  const x0 = Math.min(Math.floor(x), Math.max(width - 2, 0));
  const y0 = Math.min(Math.floor(y), Math.max(height - 2, 0));
  const ax = x - x0;
  const ay = y - y0;
  for (let c = 0; c < channels; c++) {
    const at = (yy: number, xx: number) => image[(yy * width + xx) * channels + c]!;
    out[c] =
      (1 - ay) * ((1 - ax) * at(y0, x0) + ax * at(y0, x0 + 1)) +
      ay * ((1 - ax) * at(y0 + 1, x0) + ax * at(y0 + 1, x0 + 1));
  }
  return true;
}

/** Mean absolute difference over `channels` between pixel `p` of `a` and the sampled `values`. */
export function pixelL1(a: Float32Array, p: number, values: ArrayLike<number>, channels = 3): number {
  let sum = 0;
  for (let c = 0; c < channels; c++) sum += Math.abs(a[p * channels + c]! - values[c]!);
  return sum / channels;
}

/** Residuals of a warp: mean L1 with the warp and without it (same pixels), and the fraction used. */
export interface WarpResiduals {
  readonly warped: number;
  readonly unwarped: number;
  readonly validFraction: number;
}

/**
 * For every pixel of `target` [H, W, 3], `corresponding(x, y)` gives where it lands in `source` and
 * its depth there (or undefined); it is valid when inside the image and visible, `1/z` within 3 % of
 * the bilinearly sampled inverse depth of `sourceDepth` (when given). Returns mean L1 of
 * `target(x) - source(p)` and of `target(x) - source(x)` over the valid pixels.
 */
export function warpResiduals(
  target: Float32Array,
  source: Float32Array,
  sourceDepth: Float32Array | undefined,
  height: number,
  width: number,
  corresponding: (x: number, y: number) => { x: number; y: number; z: number } | undefined,
): WarpResiduals {
  const sample = new Float64Array(3);
  const inverseDepth = sourceDepth?.map((d) => 1 / d);
  const invSample = new Float64Array(1);
  let warped = 0;
  let unwarped = 0;
  let valid = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const to = corresponding(x, y);
      if (to === undefined || !(to.z > 0)) continue;
      if (!bilinear(source, height, width, 3, to.x, to.y, sample)) continue;
      if (inverseDepth) {
        bilinear(inverseDepth, height, width, 1, to.x, to.y, invSample);
        if (invSample[0]! > 1.03 / to.z) continue;
      }
      const p = y * width + x;
      warped += pixelL1(target, p, sample);
      unwarped += pixelL1(target, p, source.subarray(p * 3, p * 3 + 3));
      valid++;
    }
  }
  return { warped: warped / valid, unwarped: unwarped / valid, validFraction: valid / (height * width) };
}

/** Checks a row-major rigid 4x4: orthonormal rotation with det 1 and last row [0, 0, 0, 1]; returns the max error. */
export function rigidError(m: ArrayLike<number>): number {
  let error = 0;
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += m[i * 4 + k]! * m[j * 4 + k]!;
      error = Math.max(error, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  const r = (i: number, j: number) => m[i * 4 + j]!;
  const det =
    r(0, 0) * (r(1, 1) * r(2, 2) - r(1, 2) * r(2, 1)) -
    r(0, 1) * (r(1, 0) * r(2, 2) - r(1, 2) * r(2, 0)) +
    r(0, 2) * (r(1, 0) * r(2, 1) - r(1, 1) * r(2, 0));
  error = Math.max(
    error,
    Math.abs(det - 1),
    Math.abs(m[12]!),
    Math.abs(m[13]!),
    Math.abs(m[14]!),
    Math.abs(m[15]! - 1),
  );
  return error;
}
