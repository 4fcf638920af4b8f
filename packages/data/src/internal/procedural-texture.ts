/**
 * Procedural solid textures for the synthetic scenes: functions of a 3-D point in an object's own
 * coordinates, so a surface point has one colour whatever the viewpoint.
 *
 * Anti-aliasing by frequency clamping (Perlin's and Worley's "Texturing and Modeling", ch. 2): every
 * band of frequency `f` (cycles per scene unit) is faded towards its mean as the pixel footprint `w`
 * (scene units per pixel) grows, fully kept while a period spans >= 8 pixels (`f w <= 1/8`) and gone
 * at 4 pixels (`f w >= 1/4`), so images stay smooth enough for bilinear warping. The fade depends on the
 * viewing distance, so detail near the pixel scale is only approximately view-independent.
 */

/** An RGB triple in [0, 1]. */
export type Rgb = readonly [number, number, number];

/** The parameters of one surface's texture (see `SurfaceTexture` in synthetic-scene.ts). */
export interface TextureParams {
  readonly pattern: 'noise' | 'checkers' | 'stripes' | 'blobs';
  readonly colours: readonly [Rgb, Rgb, Rgb];
  readonly frequency: number;
  readonly direction: readonly [number, number, number];
  readonly offset: readonly [number, number, number];
  readonly seed: number;
}

/** A uint32 lattice hash of (x, y, z, seed), in [0, 1). */
function hash3(x: number, y: number, z: number, seed: number): number {
  let h = seed ^ Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(z, 0x1b873593);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const quintic = (t: number): number => t * t * t * (t * (t * 6 - 15) + 10);

/** Value noise in [0, 1): hashed lattice values, trilinear with quintic easing. */
export function valueNoise(x: number, y: number, z: number, seed: number): number {
  const fx = Math.floor(x);
  const fy = Math.floor(y);
  const fz = Math.floor(z);
  const ix = fx | 0;
  const iy = fy | 0;
  const iz = fz | 0;
  const u = quintic(x - fx);
  const v = quintic(y - fy);
  const w = quintic(z - fz);
  const c000 = hash3(ix, iy, iz, seed);
  const c100 = hash3(ix + 1, iy, iz, seed);
  const c010 = hash3(ix, iy + 1, iz, seed);
  const c110 = hash3(ix + 1, iy + 1, iz, seed);
  const c001 = hash3(ix, iy, iz + 1, seed);
  const c101 = hash3(ix + 1, iy, iz + 1, seed);
  const c011 = hash3(ix, iy + 1, iz + 1, seed);
  const c111 = hash3(ix + 1, iy + 1, iz + 1, seed);
  const x00 = c000 + (c100 - c000) * u;
  const x10 = c010 + (c110 - c010) * u;
  const x01 = c001 + (c101 - c001) * u;
  const x11 = c011 + (c111 - c011) * u;
  const y0 = x00 + (x10 - x00) * v;
  const y1 = x01 + (x11 - x01) * v;
  return y0 + (y1 - y0) * w;
}

/** The weight of a band of `frequency` cycles per unit at footprint `footprint` units per pixel. */
export function bandWeight(frequency: number, footprint: number): number {
  const q = frequency * footprint;
  return q <= 1 / 8 ? 1 : q >= 1 / 4 ? 0 : 2 - 8 * q;
}

/** Three octaves of faded value noise around 0: roughly in [-0.5, 0.5], mean 0. */
export function fbm(
  x: number,
  y: number,
  z: number,
  frequency: number,
  footprint: number,
  seed: number,
): number {
  let sum = 0;
  let amplitude = 1;
  let f = frequency;
  for (let octave = 0; octave < 3; octave++) {
    const weight = bandWeight(f, footprint);
    if (weight === 0) break;
    sum += amplitude * weight * (valueNoise(x * f, y * f, z * f, (seed + octave * 0x9e3779b9) | 0) - 0.5);
    amplitude *= 0.5;
    f *= 2;
  }
  return sum / 1.75;
}

const clamp01 = (v: number): number => Math.max(0, Math.min(1, v));
const smoothstep = (a: number, b: number, v: number): number => {
  const t = clamp01((v - a) / (b - a));
  return t * t * (3 - 2 * t);
};

/**
 * Writes the albedo of the texture at object-space point (x, y, z) with local normal (nx, ny, nz) into
 * `out[0..2]`, for a pixel footprint `footprint` (scene units).
 */
export function albedo(
  t: TextureParams,
  px: number,
  py: number,
  pz: number,
  nx: number,
  ny: number,
  nz: number,
  footprint: number,
  out: Float64Array,
): void {
  const x = px + t.offset[0];
  const y = py + t.offset[1];
  const z = pz + t.offset[2];
  const f = t.frequency;
  const [c0, c1, c2] = t.colours;
  let a: number; // mix c0 -> c1
  let b: number; // then towards c2
  switch (t.pattern) {
    case 'noise': {
      const v = clamp01(0.5 + 2.4 * fbm(x, y, z, f, footprint, t.seed));
      // a three-colour ramp: c0 at 0, c1 at 0.5, c2 at 1
      if (v < 0.5) {
        a = 2 * v;
        b = 0;
      } else {
        a = 1;
        b = 2 * v - 1;
      }
      break;
    }
    case 'checkers': {
      // smooth squares along the two axes orthogonal to the dominant normal axis
      const ax = Math.abs(nx);
      const ay = Math.abs(ny);
      const az = Math.abs(nz);
      const [u, v] = ax >= ay && ax >= az ? [y, z] : ay >= az ? [x, z] : [x, y];
      const su = Math.max(-1, Math.min(1, 3 * Math.sin(Math.PI * f * u)));
      const sv = Math.max(-1, Math.min(1, 3 * Math.sin(Math.PI * f * v)));
      a = 0.5 + 0.5 * su * sv * bandWeight(1.5 * f, footprint);
      b = clamp01(0.5 + 2 * fbm(x, y, z, 0.5 * f, footprint, t.seed)) * 0.5;
      break;
    }
    case 'stripes': {
      const d = t.direction;
      const phase =
        2 * Math.PI * f * (x * d[0] + y * d[1] + z * d[2]) + 6 * fbm(x, y, z, 0.5 * f, footprint, t.seed);
      a = 0.5 + 0.5 * Math.sin(phase) * bandWeight(f, footprint);
      b = clamp01(0.5 + 2 * fbm(x, y, z, f, footprint, t.seed ^ 0x5bd1e995)) * 0.6;
      break;
    }
    default: {
      // blobs: two thresholded noise fields
      const n1 = fbm(x, y, z, f, footprint, t.seed);
      const n2 = fbm(x, y, z, 0.7 * f, footprint, t.seed ^ 0x68e31da4);
      const w = bandWeight(2 * f, footprint);
      a = 0.5 + (smoothstep(-0.06, 0.06, n1) - 0.5) * w;
      b = 0.5 + (smoothstep(-0.06, 0.06, n2) - 0.5) * w;
      b *= 0.8;
      break;
    }
  }
  const detail = 1 + 0.5 * fbm(x, y, z, 4 * f, footprint, t.seed ^ 0x27d4eb2f);
  for (let c = 0; c < 3; c++) {
    const ab = c0[c]! + (c1[c]! - c0[c]!) * a;
    out[c] = clamp01((ab + (c2[c]! - ab) * b) * detail);
  }
}
