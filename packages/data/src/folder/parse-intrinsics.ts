import { ArgumentError } from '@genoise/core';

/** Camera intrinsics read from a file by {@link parseIntrinsics}. */
export interface Intrinsics {
  /** `K` `[3, 3]` row-major, in pixels of an image of `width x height` (when known). */
  readonly K: Float32Array;
  /** The image width the intrinsics refer to, when the file says; else `undefined`. */
  readonly width: number | undefined;
  /** The image height the intrinsics refer to, when the file says; else `undefined`. */
  readonly height: number | undefined;
  /** The stereo baseline (scene units), when the file says; else `undefined`. */
  readonly baseline: number | undefined;
}

/** The file names the folder loaders look for, in this order. */
export const INTRINSICS_FILE_NAMES = ['intrinsics.json', 'intrinsics.txt', 'K.txt'] as const;

const OP = 'parseIntrinsics';

function fail(source: string, message: string): never {
  throw new ArgumentError({ op: OP, argument: 'text', message: `${OP}: ${source}: ${message}` });
}

function fromNumbers(values: number[], source: string): Float32Array {
  if (values.length === 4) {
    const [fx, fy, cx, cy] = values as [number, number, number, number];
    return Float32Array.of(fx, 0, cx, 0, fy, cy, 0, 0, 1);
  }
  if (values.length === 9) return Float32Array.from(values);
  return fail(
    source,
    `expected 4 numbers (fx fy cx cy) or 9 (a 3x3 matrix, row-major), found ${values.length}.`,
  );
}

function checkK(K: Float32Array, source: string): Float32Array {
  if (!K.every(Number.isFinite)) fail(source, 'K has a value that is not a finite number.');
  if (!(K[0]! > 0 && K[4]! > 0 && K[3] === 0 && K[6] === 0 && K[7] === 0 && K[8] === 1)) {
    fail(
      source,
      `K must be [fx, s, cx, 0, fy, cy, 0, 0, 1] with fx, fy > 0, found [${Array.from(K).join(', ')}].`,
    );
  }
  return K;
}

function optionalPositive(value: unknown, name: string, source: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    fail(source, `'${name}' must be a positive number, found ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Parses a camera-intrinsics file. Two formats:
 *
 * - **JSON** (text starting with `{`): either `{ "fx", "fy", "cx", "cy" }` or `{ "K": [[fx, s, cx],
 *   [0, fy, cy], [0, 0, 1]] }` (nested or 9 numbers, row-major), with optional `"width"` and
 *   `"height"` (the image size, in pixels, the intrinsics refer to) and `"baseline"` (stereo).
 * - **Text**: 4 numbers `fx fy cx cy` or 9 numbers (3x3, row-major), separated by spaces, commas or
 *   newlines; `#` starts a comment.
 *
 * Pixel coordinates follow the pinned convention (pixel centres at integers, so `cx` is about
 * `(width - 1) / 2`).
 *
 * @param text - the file's contents
 * @param source - a name for error messages (the file path). Default `'intrinsics'`.
 * @returns {@link Intrinsics}: `K` (Float32Array of 9), `width`, `height`, `baseline` (each maybe undefined)
 * @throws ArgumentError naming `source` when the text is not one of the formats or K is not a valid
 *   upper-triangular intrinsics matrix with positive focal lengths
 * @example
 * ```ts
 * parseIntrinsics('{"fx": 241.7, "fy": 246.3, "cx": 204.2, "cy": 59.0, "width": 416, "height": 128}');
 * parseIntrinsics('718.856 0 607.19\n0 718.856 185.22\n0 0 1');
 * ```
 */
export function parseIntrinsics(text: string, source = 'intrinsics'): Intrinsics {
  if (typeof text !== 'string') {
    throw new ArgumentError({ op: OP, argument: 'text', expected: 'a string', actual: typeof text });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(trimmed) as Record<string, unknown>;
    } catch (cause) {
      return fail(source, `invalid JSON (${(cause as Error).message}).`);
    }
    let K: Float32Array;
    if (json['K'] !== undefined) {
      const flat = Array.isArray(json['K']) ? (json['K'] as unknown[]).flat() : [];
      if (flat.length !== 9 || !flat.every((v) => typeof v === 'number')) {
        fail(source, "'K' must be a 3x3 matrix: [[fx, s, cx], [0, fy, cy], [0, 0, 1]] or 9 numbers.");
      }
      K = Float32Array.from(flat as number[]);
    } else {
      const names = ['fx', 'fy', 'cx', 'cy'] as const;
      const values = names.map((n) => json[n]);
      if (!values.every((v) => typeof v === 'number')) {
        fail(source, "expected numbers 'fx', 'fy', 'cx', 'cy' or a 3x3 'K'.");
      }
      K = fromNumbers(values as number[], source);
    }
    return {
      K: checkK(K, source),
      width: optionalPositive(json['width'], 'width', source),
      height: optionalPositive(json['height'], 'height', source),
      baseline: optionalPositive(json['baseline'], 'baseline', source),
    };
  }
  const tokens = trimmed
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join(' ')
    .split(/[\s,]+/)
    .filter((t) => t !== '');
  const values = tokens.map(Number);
  if (tokens.length === 0 || values.some((v) => Number.isNaN(v))) {
    fail(source, 'expected 4 numbers (fx fy cx cy) or 9 (a 3x3 matrix, row-major).');
  }
  return {
    K: checkK(fromNumbers(values, source), source),
    width: undefined,
    height: undefined,
    baseline: undefined,
  };
}

/**
 * `K` for an image resized from `from = [height, width]` to `to = [height, width]` by stretching, with
 * pixel centres at integers: `fx' = fx · sx`, `cx' = (cx + 0.5) · sx - 0.5` (`sx = to.width / from.width`),
 * and the same in y; the skew scales by `sx`.
 */
export function scaleIntrinsics(
  K: Float32Array,
  from: readonly [number, number],
  to: readonly [number, number],
): Float32Array {
  const sy = to[0] / from[0];
  const sx = to[1] / from[1];
  return Float32Array.of(
    K[0]! * sx,
    K[1]! * sx,
    (K[2]! + 0.5) * sx - 0.5,
    0,
    K[4]! * sy,
    (K[5]! + 0.5) * sy - 0.5,
    0,
    0,
    1,
  );
}
