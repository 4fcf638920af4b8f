import type { Rendering } from '../synthetic/render-scene';
import { surfacePose } from '../synthetic/render-scene';
import type { SyntheticScene } from '../synthetic/synthetic-scene';
import { invertRigid } from './rigid';

/** How far outside `[0, W-1] x [0, H-1]` (pixels) a projection still counts as in view: round-off only. */
const EDGE = 1e-6;

/** Flow from view 1 to view 2 and view 1's occlusion mask. */
export interface Correspondence {
  /** `[H, W, 2]` (u, v) in pixels. */
  readonly flow: Float32Array;
  /** `[H, W]`, 1 where the view-1 point is not visible in view 2. */
  readonly occlusion: Float32Array;
}

/**
 * Where each pixel-centre point of `first` (rendered at `time1`) lands in a second view (pose
 * `worldFromCamera2`, time `time2`, intrinsics `K`, rendered depth `depth2`): the surface point is
 * carried by its surface's motion, projected, and called occluded when it falls outside
 * `[0, W-1] x [0, H-1]` (by more than 1e-6 px, round-off), behind the camera, or behind what view 2 shows there: `1 / D2(p2) > (1 + tolerance)
 * / z2`, with the inverse depth `1 / D2` bilinearly interpolated (exact on planes).
 */
export function correspondence(
  scene: SyntheticScene,
  first: Rendering,
  time2: number,
  K: ArrayLike<number>,
  worldFromCamera2: ArrayLike<number>,
  depth2: Float32Array,
  tolerance: number,
): Correspondence {
  const { height, width, surface, local } = first;
  const poses = scene.surfaces.map((s) => surfacePose(s, time2));
  const m = invertRigid(worldFromCamera2);
  const flow = new Float32Array(height * width * 2);
  const occlusion = new Float32Array(height * width);
  const [fx, skew, cx] = [K[0]!, K[1]!, K[2]!];
  const [fy, cy] = [K[4]!, K[5]!];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const index = surface[p]!;
      if (index < 0) {
        occlusion[p] = 1;
        continue;
      }
      const { c, s, centre } = poses[index]!;
      const lx = local[3 * p]!;
      const ly = local[3 * p + 1]!;
      const lz = local[3 * p + 2]!;
      const wx = centre[0] + c * lx + s * lz;
      const wy = centre[1] + ly;
      const wz = centre[2] - s * lx + c * lz;
      const X = m[0]! * wx + m[1]! * wy + m[2]! * wz + m[3]!;
      const Y = m[4]! * wx + m[5]! * wy + m[6]! * wz + m[7]!;
      const Z = m[8]! * wx + m[9]! * wy + m[10]! * wz + m[11]!;
      if (!(Z > 1e-6)) {
        occlusion[p] = 1;
        continue;
      }
      const uExact = (fx * X + skew * Y) / Z + cx;
      const vExact = (fy * Y) / Z + cy;
      flow[2 * p] = uExact - x;
      flow[2 * p + 1] = vExact - y;
      if (
        !(uExact >= -EDGE && uExact <= width - 1 + EDGE && vExact >= -EDGE && vExact <= height - 1 + EDGE)
      ) {
        occlusion[p] = 1;
        continue;
      }
      // a point on the border may land 1e-15 px outside it by round-off: it is in view
      const u = Math.min(Math.max(uExact, 0), width - 1);
      const v = Math.min(Math.max(vExact, 0), height - 1);
      const x0 = Math.min(Math.floor(u), Math.max(width - 2, 0));
      const y0 = Math.min(Math.floor(v), Math.max(height - 2, 0));
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const ax = u - x0;
      const ay = v - y0;
      const inv = (yy: number, xx: number): number => 1 / depth2[yy * width + xx]!;
      const seen =
        (1 - ay) * ((1 - ax) * inv(y0, x0) + ax * inv(y0, x1)) +
        ay * ((1 - ax) * inv(y1, x0) + ax * inv(y1, x1));
      if (seen > (1 + tolerance) / Z) occlusion[p] = 1;
    }
  }
  return { flow, occlusion };
}
