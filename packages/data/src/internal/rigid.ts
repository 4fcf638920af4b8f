/**
 * Small dense 3x3 / 4x4 matrix helpers on row-major arrays (plain JavaScript, float64 internally), for
 * the synthetic scenes' cameras and poses.
 */

/** A row-major 4x4 matrix, 16 numbers. */
export type Mat4 = Float64Array;
/** A row-major 3x3 matrix, 9 numbers. */
export type Mat3 = Float64Array;

/** `a · b` for row-major 4x4 matrices. */
export function mul4(a: ArrayLike<number>, b: ArrayLike<number>): Mat4 {
  const out = new Float64Array(16);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[i * 4 + k]! * b[k * 4 + j]!;
      out[i * 4 + j] = s;
    }
  }
  return out;
}

/** The inverse of a rigid transform `[R t; 0 1]`: `[R^T, -R^T t; 0 1]`. */
export function invertRigid(m: ArrayLike<number>): Mat4 {
  const out = new Float64Array(16);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i * 4 + j] = m[j * 4 + i]!;
  }
  for (let i = 0; i < 3; i++) {
    out[i * 4 + 3] = -(out[i * 4]! * m[3]! + out[i * 4 + 1]! * m[7]! + out[i * 4 + 2]! * m[11]!);
  }
  out[15] = 1;
  return out;
}

/**
 * The rotation `R = Ry(yaw) · Rx(pitch) · Rz(roll)` in a camera frame with x right, y down, z forward:
 * yaw turns about the vertical (y) axis (positive turns the view to the right), pitch about x, roll
 * about the optical axis. Row-major 3x3.
 */
export function rotationYawPitchRoll(yaw: number, pitch: number, roll: number): Mat3 {
  const cy = Math.cos(yaw);
  const sy = Math.sin(yaw);
  const cp = Math.cos(pitch);
  const sp = Math.sin(pitch);
  const cr = Math.cos(roll);
  const sr = Math.sin(roll);
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  return mul3(mul3(ry, rx), rz);
}

/** `a · b` for row-major 3x3 matrices. */
export function mul3(a: ArrayLike<number>, b: ArrayLike<number>): Mat3 {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      out[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
    }
  }
  return out;
}

/** `[R t; 0 1]` from a row-major 3x3 rotation and a translation. */
export function rigid(rotation: ArrayLike<number>, translation: ArrayLike<number>): Mat4 {
  const out = new Float64Array(16);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i * 4 + j] = rotation[i * 3 + j]!;
    out[i * 4 + 3] = translation[i]!;
  }
  out[15] = 1;
  return out;
}

/** `m · [x, y, z, 1]`, the first three entries. */
export function transformPoint(
  m: ArrayLike<number>,
  x: number,
  y: number,
  z: number,
): [number, number, number] {
  return [
    m[0]! * x + m[1]! * y + m[2]! * z + m[3]!,
    m[4]! * x + m[5]! * y + m[6]! * z + m[7]!,
    m[8]! * x + m[9]! * y + m[10]! * z + m[11]!,
  ];
}
