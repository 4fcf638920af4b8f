import { ArgumentError, checkInteger, checkNumber, checkOptions, describeValue } from '@genoise/core';

import { albedo } from '../internal/procedural-texture';
import type { SceneSurface, SurfaceTexture, SyntheticScene } from './synthetic-scene';

/** Options of {@link renderScene}. */
export interface RenderOptions {
  /** Image height in pixels, a positive integer. */
  readonly height: number;
  /** Image width in pixels, a positive integer. */
  readonly width: number;
  /** Intrinsics `K` `[3, 3]`, 9 numbers row-major, in pixels (e.g. from {@link intrinsicsFromFov}). */
  readonly K: ArrayLike<number>;
  /** The camera-to-world pose `[4, 4]`, 16 numbers row-major (a rigid transform). */
  readonly worldFromCamera: ArrayLike<number>;
  /** The scene time: moving objects are at `centre + velocity · time`, `yaw + yawRate · time`. Default `0`. */
  readonly time?: number;
  /** Supersampling: `samples x samples` rays per pixel, averaged, an integer in [1, 8]. Default `2`. */
  readonly samples?: number;
}

/** What {@link renderScene} returns: plain typed arrays, row-major, no tensors. */
export interface Rendering {
  readonly height: number;
  readonly width: number;
  /** RGB in [0, 1], `[H, W, 3]`: the mean of the pixel's `samples²` rays. */
  readonly image: Float32Array;
  /** The z-depth along the optical axis of the ray through the pixel centre, `[H, W]`, positive and finite. */
  readonly depth: Float32Array;
  /** The index into `scene.surfaces` hit by the pixel-centre ray, `[H, W]` (-1 only if nothing was hit). */
  readonly surface: Int32Array;
  /** The pixel-centre hit point in the hit surface's own coordinates at this time, `[H, W, 3]`. */
  readonly local: Float64Array;
  /**
   * The unit surface normal at the pixel-centre hit, in the camera frame (x right, y down, z forward),
   * `[H, W, 3]`, facing the camera: `n · ray < 0` for the pixel's viewing ray. `[0, 0, 0]` where
   * nothing was hit.
   */
  readonly normal: Float32Array;
}

/** The depth given to a pixel-centre ray that hits nothing (impossible inside the closed room). */
export const MISS_DEPTH = 1000;
const MISS_COLOUR = 0.5;
const EPSILON = 1e-6;

/** A surface's pose at one time, flattened for the inner loop (a class: one hidden shape for all kinds). */
class Posed {
  readonly kind: number; // 0 plane, 1 sphere, 2 box
  /** The centre at this time. */
  readonly cx: number;
  readonly cy: number;
  readonly cz: number;
  /** cos and sin of the yaw at this time (world from local is Ry(yaw)). */
  readonly c: number;
  readonly s: number;
  /** cos and sin of the yaw at time 0 (the rest pose, whose normals the shading uses). */
  readonly c0: number;
  readonly s0: number;
  readonly r: number;
  readonly hx: number;
  readonly hy: number;
  readonly hz: number;
  readonly axis: number;
  readonly offset: number;
  readonly side: number;
  readonly texture: SurfaceTexture;

  constructor(surface: SceneSurface, time: number) {
    const { c, s, centre } = surfacePose(surface, time);
    this.kind = surface.kind === 'plane' ? 0 : surface.kind === 'sphere' ? 1 : 2;
    this.cx = centre[0];
    this.cy = centre[1];
    this.cz = centre[2];
    this.c = c;
    this.s = s;
    const yaw0 = surface.kind === 'plane' ? 0 : surface.yaw;
    this.c0 = Math.cos(yaw0);
    this.s0 = Math.sin(yaw0);
    this.r = surface.kind === 'sphere' ? surface.radius : 0;
    this.hx = surface.kind === 'box' ? surface.halfSize[0] : 0;
    this.hy = surface.kind === 'box' ? surface.halfSize[1] : 0;
    this.hz = surface.kind === 'box' ? surface.halfSize[2] : 0;
    this.axis = surface.kind === 'plane' ? surface.axis : 0;
    this.offset = surface.kind === 'plane' ? surface.offset : 0;
    this.side = surface.kind === 'plane' ? surface.side : 1;
    this.texture = surface.texture;
  }
}

/** World from local at `time` for one surface: `Ry(yaw(time))` and `centre(time)`. */
export function surfacePose(
  surface: SceneSurface,
  time: number,
): { c: number; s: number; centre: [number, number, number] } {
  if (surface.kind === 'plane') return { c: 1, s: 0, centre: [0, 0, 0] };
  const yaw = surface.yaw + surface.yawRate * time;
  const v = surface.velocity;
  return {
    c: Math.cos(yaw),
    s: Math.sin(yaw),
    centre: [
      surface.centre[0] + v[0] * time,
      surface.centre[1] + v[1] * time,
      surface.centre[2] + v[2] * time,
    ],
  };
}

/** Scratch of one traced ray: t, surface index, local point, local normal. */
interface Hit {
  t: number;
  index: number;
  lx: number;
  ly: number;
  lz: number;
  nx: number;
  ny: number;
  nz: number;
}

/** Intersects the ray `o + t d` (t > 0) with every surface, keeping the nearest in `hit`. */
function trace(
  posed: readonly Posed[],
  ox: number,
  oy: number,
  oz: number,
  dx: number,
  dy: number,
  dz: number,
  hit: Hit,
): void {
  hit.t = Number.POSITIVE_INFINITY;
  hit.index = -1;
  for (let i = 0; i < posed.length; i++) {
    const p = posed[i]!;
    if (p.kind === 0) {
      const o = p.axis === 0 ? ox : p.axis === 1 ? oy : oz;
      const d = p.axis === 0 ? dx : p.axis === 1 ? dy : dz;
      if (d === 0) continue;
      const t = (p.offset - o) / d;
      if (t > EPSILON && t < hit.t) {
        hit.t = t;
        hit.index = i;
        hit.lx = ox + t * dx;
        hit.ly = oy + t * dy;
        hit.lz = oz + t * dz;
        hit.nx = p.axis === 0 ? p.side : 0;
        hit.ny = p.axis === 1 ? p.side : 0;
        hit.nz = p.axis === 2 ? p.side : 0;
      }
      continue;
    }
    // into local coordinates: Ry(-yaw) (o - centre), Ry(-yaw) d
    const qx = ox - p.cx;
    const qy = oy - p.cy;
    const qz = oz - p.cz;
    const lox = p.c * qx - p.s * qz;
    const loz = p.s * qx + p.c * qz;
    const ldx = p.c * dx - p.s * dz;
    const ldz = p.s * dx + p.c * dz;
    if (p.kind === 1) {
      const a = ldx * ldx + dy * dy + ldz * ldz;
      const b = lox * ldx + qy * dy + loz * ldz;
      const cc = lox * lox + qy * qy + loz * loz - p.r * p.r;
      const disc = b * b - a * cc;
      if (disc < 0) continue;
      const t = (-b - Math.sqrt(disc)) / a;
      if (t > EPSILON && t < hit.t) {
        hit.t = t;
        hit.index = i;
        hit.lx = lox + t * ldx;
        hit.ly = qy + t * dy;
        hit.lz = loz + t * ldz;
        hit.nx = hit.lx / p.r;
        hit.ny = hit.ly / p.r;
        hit.nz = hit.lz / p.r;
      }
      continue;
    }
    // box: slabs
    let near = Number.NEGATIVE_INFINITY;
    let far = Number.POSITIVE_INFINITY;
    let nearAxis = -1;
    let nearSign = 0;
    for (let axis = 0; axis < 3; axis++) {
      const o = axis === 0 ? lox : axis === 1 ? qy : loz;
      const d = axis === 0 ? ldx : axis === 1 ? dy : ldz;
      const h = axis === 0 ? p.hx : axis === 1 ? p.hy : p.hz;
      if (Math.abs(d) < 1e-12) {
        if (o < -h || o > h) {
          near = Number.POSITIVE_INFINITY;
          break;
        }
        continue;
      }
      let t1 = (-h - o) / d;
      let t2 = (h - o) / d;
      let sign = -1;
      if (t1 > t2) {
        const swap = t1;
        t1 = t2;
        t2 = swap;
        sign = 1;
      }
      if (t1 > near) {
        near = t1;
        nearAxis = axis;
        nearSign = sign;
      }
      if (t2 < far) far = t2;
    }
    if (near <= far && near > EPSILON && near < hit.t) {
      hit.t = near;
      hit.index = i;
      hit.lx = lox + near * ldx;
      hit.ly = qy + near * dy;
      hit.lz = loz + near * ldz;
      hit.nx = nearAxis === 0 ? nearSign : 0;
      hit.ny = nearAxis === 1 ? nearSign : 0;
      hit.nz = nearAxis === 2 ? nearSign : 0;
    }
  }
}

const OP = 'renderScene';

function checkMatrix(
  value: unknown,
  length: number,
  argument: string,
  expected: string,
): asserts value is ArrayLike<number> {
  const ok =
    (Array.isArray(value) || ArrayBuffer.isView(value)) &&
    (value as ArrayLike<unknown>).length === length &&
    Array.from(value as ArrayLike<unknown>).every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!ok) throw new ArgumentError({ op: OP, argument, expected, actual: describeValue(value) });
}

/** The inverse of an upper-triangular `K` with `K[2,2] = 1` (skew allowed), as 9 numbers. */
function invertIntrinsics(K: ArrayLike<number>): Float64Array {
  const fx = K[0]!;
  const skew = K[1]!;
  const cx = K[2]!;
  const fy = K[4]!;
  const cy = K[5]!;
  return Float64Array.of(
    1 / fx,
    -skew / (fx * fy),
    (skew * cy - cx * fy) / (fx * fy),
    0,
    1 / fy,
    -cy / fy,
    0,
    0,
    1,
  );
}

/**
 * Renders `scene` with a pinhole camera by ray casting, in plain JavaScript (no tensors, identical on
 * every backend). The ray through pixel `(x, y)` is `o + t · R · K^-1 · [x, y, 1]` with `[R | o]` =
 * `worldFromCamera`, so `t` is the z-depth along the optical axis. Each pixel averages
 * `samples x samples` rays at offsets `(i + 0.5) / samples - 0.5`; the depth, surface and local point
 * come from the ray through the pixel centre.
 *
 * Shading is Lambertian and view-independent: `albedo(p) · (a + (1 - a) · max(0, n0 · light))`, with
 * `albedo` the surface's {@link SurfaceTexture} at the local point `p` and `n0` the normal in the
 * surface's pose at time 0, so a surface point has the same colour from every viewpoint and at every
 * time (textures fade detail finer than about 6 pixels, see {@link SurfaceTexture}). No shadows, no
 * specular light.
 *
 * @param scene - from {@link syntheticScene}
 * @param options - see {@link RenderOptions}: `height`, `width`, `K`, `worldFromCamera` are required
 * The normal of the pixel-centre hit is returned in the camera frame, turned to face the camera
 * (`n · K^-1 [x, y, 1] < 0`): for a sphere `(hit - centre) / radius`, for a box its face normal, for a
 * room plane the normal pointing into the room, each rotated by the object's yaw at `time` and then
 * into the camera by `R^T` (`R` the rotation of `worldFromCamera`).
 *
 * @returns a {@link Rendering}: `image` `[H, W, 3]`, `depth` `[H, W]`, `surface` `[H, W]`, `local` `[H, W, 3]`,
 *   `normal` `[H, W, 3]`
 * @throws ArgumentError for a bad size, `K`, pose, time or sample count
 * @example
 * ```ts
 * const scene = syntheticScene(createKey(0));
 * const K = intrinsicsFromFov(96, 320);
 * const eye = Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
 * const { image, depth } = renderScene(scene, { height: 96, width: 320, K, worldFromCamera: eye });
 * ```
 */
export function renderScene(scene: SyntheticScene, options: RenderOptions): Rendering {
  if (typeof scene !== 'object' || scene === null || !Array.isArray(scene.surfaces)) {
    throw new ArgumentError({
      op: OP,
      argument: 'scene',
      expected: 'a scene from syntheticScene',
      actual: describeValue(scene),
    });
  }
  checkOptions(options, ['height', 'width', 'K', 'worldFromCamera', 'time', 'samples'], { op: OP });
  const { height, width, K, worldFromCamera, time = 0, samples = 2 } = options;
  checkInteger(height, { op: OP, arg: 'height', min: 1 });
  checkInteger(width, { op: OP, arg: 'width', min: 1 });
  checkMatrix(K, 9, 'K', '9 finite numbers, [3, 3] row-major');
  checkMatrix(worldFromCamera, 16, 'worldFromCamera', '16 finite numbers, [4, 4] row-major');
  checkNumber(time, { op: OP, arg: 'time' });
  checkInteger(samples, { op: OP, arg: 'samples', min: 1, max: 8 });
  if (!(K[0]! > 0 && K[4]! > 0 && K[3] === 0 && K[6] === 0 && K[7] === 0 && K[8] === 1)) {
    throw new ArgumentError({
      op: OP,
      argument: 'K',
      expected: 'intrinsics [fx, s, cx, 0, fy, cy, 0, 0, 1] with fx, fy > 0',
      actual: `[${Array.from(K).join(',')}]`,
    });
  }
  return render(scene, height, width, K, worldFromCamera, time, samples);
}

/** {@link renderScene} without the checks. */
export function render(
  scene: SyntheticScene,
  height: number,
  width: number,
  K: ArrayLike<number>,
  worldFromCamera: ArrayLike<number>,
  time: number,
  samples: number,
): Rendering {
  const posed = scene.surfaces.map((s) => new Posed(s, time));
  const inv = invertIntrinsics(K);
  const m = worldFromCamera;
  const ox = m[3]!;
  const oy = m[7]!;
  const oz = m[11]!;
  const focal = 0.5 * (K[0]! + K[4]!);
  const [lx, ly, lz] = scene.light;
  const ambient = scene.ambient;
  const image = new Float32Array(height * width * 3);
  const depth = new Float32Array(height * width);
  const surface = new Int32Array(height * width);
  const local = new Float64Array(height * width * 3);
  const normal = new Float32Array(height * width * 3);
  const hit: Hit = { t: 0, index: -1, lx: 0, ly: 0, lz: 0, nx: 0, ny: 0, nz: 0 };
  const colour = new Float64Array(3);
  const offsets = Array.from({ length: samples }, (_, i) => (i + 0.5) / samples - 0.5);
  const centreIsSample = samples % 2 === 1;
  const weight = 1 / (samples * samples);

  // Ray direction (world) through pixel (x, y), not normalised: camera-z component 1.
  let dx = 0;
  let dy = 0;
  let dz = 0;
  const direction = (x: number, y: number): void => {
    const cxv = inv[0]! * x + inv[1]! * y + inv[2]!;
    const cyv = inv[4]! * y + inv[5]!;
    dx = m[0]! * cxv + m[1]! * cyv + m[2]!;
    dy = m[4]! * cxv + m[5]! * cyv + m[6]!;
    dz = m[8]! * cxv + m[9]! * cyv + m[10]!;
  };
  /** Records the pixel-centre hit of pixel p = (x, y): depth, surface, local point, camera normal. */
  const record = (p: number, x: number, y: number): void => {
    depth[p] = hit.index >= 0 ? hit.t : MISS_DEPTH;
    surface[p] = hit.index;
    local[3 * p] = hit.lx;
    local[3 * p + 1] = hit.ly;
    local[3 * p + 2] = hit.lz;
    if (hit.index < 0) return;
    const s = posed[hit.index]!;
    // world normal now: Ry(yaw(time)) · local normal; camera normal: R^T · world normal
    const wnx = s.c * hit.nx + s.s * hit.nz;
    const wny = hit.ny;
    const wnz = -s.s * hit.nx + s.c * hit.nz;
    let nx = m[0]! * wnx + m[4]! * wny + m[8]! * wnz;
    let ny = m[1]! * wnx + m[5]! * wny + m[9]! * wnz;
    let nz = m[2]! * wnx + m[6]! * wny + m[10]! * wnz;
    // the viewing ray in the camera frame, K^-1 [x, y, 1]: the normal faces it
    const rx = inv[0]! * x + inv[1]! * y + inv[2]!;
    const ry = inv[4]! * y + inv[5]!;
    const sign = nx * rx + ny * ry + nz > 0 ? -1 : 1;
    const scale = sign / Math.sqrt(nx * nx + ny * ny + nz * nz);
    nx *= scale;
    ny *= scale;
    nz *= scale;
    normal[3 * p] = nx;
    normal[3 * p + 1] = ny;
    normal[3 * p + 2] = nz;
  };
  /** Adds the shaded colour of `hit` (ray direction d) times `weight` into image pixel p. */
  const shade = (p: number): void => {
    if (hit.index < 0) {
      image[3 * p]! += MISS_COLOUR * weight;
      image[3 * p + 1]! += MISS_COLOUR * weight;
      image[3 * p + 2]! += MISS_COLOUR * weight;
      return;
    }
    const s = posed[hit.index]!;
    // the normal in the rest pose (time 0), and in the world now (for the footprint)
    const rnx = s.c0 * hit.nx + s.s0 * hit.nz;
    const rnz = -s.s0 * hit.nx + s.c0 * hit.nz;
    const wnx = s.c * hit.nx + s.s * hit.nz;
    const wnz = -s.s * hit.nx + s.c * hit.nz;
    const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const cosine = Math.abs(wnx * dx + hit.ny * dy + wnz * dz) / length;
    const footprint = (hit.t * length) / (focal * Math.sqrt(Math.max(cosine, 0.05)));
    albedo(s.texture, hit.lx, hit.ly, hit.lz, hit.nx, hit.ny, hit.nz, footprint, colour);
    const light = ambient + (1 - ambient) * Math.max(0, rnx * lx + hit.ny * ly + rnz * lz);
    const w = light * weight;
    image[3 * p]! += colour[0]! * w;
    image[3 * p + 1]! += colour[1]! * w;
    image[3 * p + 2]! += colour[2]! * w;
  };

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (!centreIsSample) {
        direction(x, y);
        trace(posed, ox, oy, oz, dx, dy, dz, hit);
        record(p, x, y);
      }
      for (const sy of offsets) {
        for (const sx of offsets) {
          direction(x + sx, y + sy);
          trace(posed, ox, oy, oz, dx, dy, dz, hit);
          if (centreIsSample && sx === 0 && sy === 0) record(p, x, y);
          shade(p);
        }
      }
    }
  }
  return { height, width, image, depth, surface, local, normal };
}
