import { checkInteger, checkKey, checkNumber, checkOptions, type Key } from '@genoise/core';
import { valueNoise } from '../internal/procedural-texture';
import { RandomStream } from '../internal/random-stream';

/** The ranges of one layer's random similarity motion between the two frames. */
export interface ShapeMotion {
  /** Translation along x and y, each uniform in `[-translation, translation]` pixels, >= 0. */
  readonly translation: number;
  /** Rotation about the layer's centre, uniform in `[-rotation, rotation]` degrees, >= 0. */
  readonly rotation: number;
  /** Scale `1 + s`, `s` uniform in `[-scale, scale]`, in [0, 0.5]. */
  readonly scale: number;
}

/** Options of {@link flyingShapes}. */
export interface FlyingShapesOptions {
  /** Image height in pixels, an integer in [8, 4096]. Required. */
  readonly height: number;
  /** Image width in pixels, an integer in [8, 4096]. Required. */
  readonly width: number;
  /** Supersampling, `samples x samples` points per pixel, an integer in [1, 8]. Default `2`. */
  readonly samples?: number;
  /** The fewest foreground shapes, an integer in [0, 16]; each pair draws its count in `[minObjects, maxObjects]`. Default `2`. */
  readonly minObjects?: number;
  /** The most foreground shapes, an integer in [minObjects, 16]. Default `max(4, minObjects)`. */
  readonly maxObjects?: number;
  /** The background's motion. Default `{ translation: 3, rotation: 3, scale: 0.05 }`. */
  readonly backgroundMotion?: ShapeMotion;
  /** Each shape's own motion. Default `{ translation: 6, rotation: 10, scale: 0.08 }`. */
  readonly objectMotion?: ShapeMotion;
  /** The lowest texture frequency, cycles per pixel, > 0; each layer draws `f` in `[f, 2.5 f]` and adds 4 octaves. Default `0.02`. */
  readonly textureFrequency?: number;
}

/** A frame pair with exact optical flow and occlusion, as plain typed arrays (row-major). */
export interface FlyingShapesPair {
  readonly height: number;
  readonly width: number;
  /** RGB in [0, 1], `[H, W, 3]`. */
  readonly frame1: Float32Array;
  readonly frame2: Float32Array;
  /** `[H, W, 2]` (u, v) pixels from frame 1 to frame 2: `I1(x) = I2(x + flow(x))` where not occluded. */
  readonly flow: Float32Array;
  /** `[H, W, 1]`: 1 where the frame-1 point leaves the image or is hidden by a shape in frame 2. */
  readonly occlusion: Float32Array;
}

const OP = 'flyingShapes';
const KEYS = [
  'height',
  'width',
  'samples',
  'minObjects',
  'maxObjects',
  'backgroundMotion',
  'objectMotion',
  'textureFrequency',
];
const OCTAVES = 5;
const GAIN = 0.6;
const LACUNARITY = 2.03;

type Rgb = readonly [number, number, number];

/** A similarity transform `T(p) = s R (p - c) + c + t` and its inverse. */
interface Similarity {
  forward(x: number, y: number): [number, number];
  inverse(x: number, y: number): [number, number];
}

interface Layer {
  readonly motion: Similarity;
  /** Whether frame-1 point (x, y) lies on the layer (the background covers everything). */
  inside(x: number, y: number): boolean;
  /** Writes the layer's colour at frame-1 point (x, y) into `out`. */
  colour(x: number, y: number, out: Float64Array): void;
}

function similarity(rng: RandomStream, range: ShapeMotion, cx: number, cy: number): Similarity {
  const tx = rng.uniform(-range.translation, range.translation);
  const ty = rng.uniform(-range.translation, range.translation);
  const angle = (rng.uniform(-range.rotation, range.rotation) * Math.PI) / 180;
  const s = 1 + rng.uniform(-range.scale, range.scale);
  const a = s * Math.cos(angle);
  const b = s * Math.sin(angle);
  const det = a * a + b * b;
  return {
    forward: (x, y) => [a * (x - cx) - b * (y - cy) + cx + tx, b * (x - cx) + a * (y - cy) + cy + ty],
    inverse: (x, y) => {
      const dx = x - cx - tx;
      const dy = y - cy - ty;
      return [(a * dx + b * dy) / det + cx, (-b * dx + a * dy) / det + cy];
    },
  };
}

/** A texture: `OCTAVES` octaves of value noise (gain 0.6), contrast-stretched through a three-colour ramp. */
function texture(rng: RandomStream, base: number): (x: number, y: number, out: Float64Array) => void {
  const frequency = base * rng.uniform(1, 2.5);
  const seed = rng.seed();
  const z = rng.uniform(0, 64);
  const colours: Rgb[] = [0, 1, 2].map(() => [rng.uniform(), rng.uniform(), rng.uniform()] as const);
  const [c0, c1, c2] = colours as [Rgb, Rgb, Rgb];
  let norm = 0;
  for (let o = 0, amp = 1; o < OCTAVES; o++, amp *= GAIN) norm += amp;
  return (x, y, out) => {
    let v = 0;
    let amp = 1;
    let f = frequency;
    for (let o = 0; o < OCTAVES; o++) {
      v += amp * valueNoise(x * f, y * f, z, (seed + o * 0x9e3779b9) | 0);
      amp *= GAIN;
      f *= LACUNARITY;
    }
    const t = Math.min(1, Math.max(0, (v / norm - 0.5) * 2.2 + 0.5));
    const [from, to, w] = t < 0.5 ? [c0, c1, 2 * t] : [c1, c2, 2 * t - 1];
    for (let c = 0; c < 3; c++) out[c] = from[c]! + (to[c]! - from[c]!) * w;
  };
}

function checkMotion(value: unknown, arg: string): asserts value is ShapeMotion {
  checkOptions(value as ShapeMotion, ['translation', 'rotation', 'scale'], { op: OP });
  const m = (value ?? {}) as ShapeMotion;
  checkNumber(m.translation, { op: OP, arg: `${arg}.translation`, min: 0 });
  checkNumber(m.rotation, { op: OP, arg: `${arg}.rotation`, min: 0, max: 180 });
  checkNumber(m.scale, { op: OP, arg: `${arg}.scale`, min: 0, max: 0.5 });
}

/**
 * A FlyingChairs-style frame pair (Dosovitskiy et al. 2015), with shapes instead of chairs: a textured
 * background and `minObjects..maxObjects` textured ellipses and rectangles in front of it (later shapes
 * in front), each layer moved by its own random similarity transform (translation, rotation and scale
 * about its centre). Frame 1 shows every layer at rest; frame 2 shows each layer's points `p` at
 * `T_l(p)`. The flow is exact: at pixel `x` (pixel `i` at coordinate `i`), `flow(x) = T_l(x) - x` for the
 * front layer `l` at `x`, and `x` is occluded when `T_l(x)` leaves `[0, W-1] x [0, H-1]` or a different
 * layer is in front there in frame 2. Textures are five octaves of value noise through a three-colour
 * ramp, defined on each layer's own plane, so brightness constancy holds exactly up to the
 * `samples x samples` supersampling.
 *
 * Why: the renderer's corridor scenes (`syntheticFlow`) are smooth and low-contrast, with most motion
 * where the camera's forward motion pushes points out of view; unsupervised flow (a data term on the
 * warped frames) had too little texture to learn from there. FlyingChairs is the field's synthetic
 * training set for flow (FlowNet, PWC-Net; UnFlow evaluates on it).
 *
 * @param key - the pair's key: the same key and options always give the same pair
 * @param options - see {@link FlyingShapesOptions}
 * @returns a {@link FlyingShapesPair}
 * @throws ArgumentError naming the option for a bad key, size, count, motion range or frequency
 * @example
 * ```ts
 * const pair = flyingShapes(foldIn(createKey(0), i), { height: 64, width: 64 });
 * pair.flow; // Float32Array [64 * 64 * 2], pixels
 * ```
 * @see Dosovitskiy et al., "FlowNet: Learning Optical Flow with Convolutional Networks", ICCV 2015
 */
export function flyingShapes(key: Key, options: FlyingShapesOptions): FlyingShapesPair {
  checkKey(key, OP);
  checkOptions(options, KEYS, { op: OP });
  if (options === undefined) checkInteger(undefined, { op: OP, arg: 'height', min: 8, max: 4096 });
  const {
    height,
    width,
    samples = 2,
    minObjects = 2,
    maxObjects = Math.max(4, minObjects),
    backgroundMotion = { translation: 3, rotation: 3, scale: 0.05 },
    objectMotion = { translation: 6, rotation: 10, scale: 0.08 },
    textureFrequency = 0.02,
  } = options;
  checkInteger(height, { op: OP, arg: 'height', min: 8, max: 4096 });
  checkInteger(width, { op: OP, arg: 'width', min: 8, max: 4096 });
  checkInteger(samples, { op: OP, arg: 'samples', min: 1, max: 8 });
  checkInteger(minObjects, { op: OP, arg: 'minObjects', min: 0, max: 16 });
  checkInteger(maxObjects, { op: OP, arg: 'maxObjects', min: minObjects, max: 16 });
  checkMotion(backgroundMotion, 'backgroundMotion');
  checkMotion(objectMotion, 'objectMotion');
  checkNumber(textureFrequency, { op: OP, arg: 'textureFrequency', min: 0, max: 1, exclusiveMin: true });

  const rng = new RandomStream(key);
  const size = Math.min(height, width);
  const layers: Layer[] = [
    {
      motion: similarity(rng, backgroundMotion, (width - 1) / 2, (height - 1) / 2),
      inside: () => true,
      colour: texture(rng, textureFrequency),
    },
  ];
  const count = rng.int(minObjects, maxObjects + 1);
  for (let k = 0; k < count; k++) {
    const cx = rng.uniform(0, width - 1);
    const cy = rng.uniform(0, height - 1);
    const rx = size * rng.uniform(0.08, 0.26);
    const ry = size * rng.uniform(0.08, 0.26);
    const angle = rng.uniform(0, Math.PI);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const ellipse = rng.uniform() < 0.6;
    layers.push({
      motion: similarity(rng, objectMotion, cx, cy),
      inside: (x, y) => {
        const u = (cos * (x - cx) + sin * (y - cy)) / rx;
        const v = (-sin * (x - cx) + cos * (y - cy)) / ry;
        return ellipse ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
      },
      colour: texture(rng, textureFrequency),
    });
  }
  // The front layer at a frame-1 point, and at a frame-2 point (the front layer whose moved shape covers it).
  const front1 = (x: number, y: number): number => {
    for (let l = layers.length - 1; l > 0; l--) if (layers[l]!.inside(x, y)) return l;
    return 0;
  };
  const front2 = (x: number, y: number): number => {
    for (let l = layers.length - 1; l > 0; l--) {
      const [px, py] = layers[l]!.motion.inverse(x, y);
      if (layers[l]!.inside(px, py)) return l;
    }
    return 0;
  };

  const n = height * width;
  const frame1 = new Float32Array(n * 3);
  const frame2 = new Float32Array(n * 3);
  const flow = new Float32Array(n * 2);
  const occlusion = new Float32Array(n);
  const colour = new Float64Array(3);
  const share = 1 / (samples * samples);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const px = x + (sx + 0.5) / samples - 0.5;
          const py = y + (sy + 0.5) / samples - 0.5;
          layers[front1(px, py)]!.colour(px, py, colour);
          for (let c = 0; c < 3; c++) frame1[3 * i + c]! += share * colour[c]!;
          const l2 = layers[front2(px, py)]!;
          const [qx, qy] = l2.motion.inverse(px, py);
          l2.colour(qx, qy, colour);
          for (let c = 0; c < 3; c++) frame2[3 * i + c]! += share * colour[c]!;
        }
      const l = front1(x, y);
      const [tx, ty] = layers[l]!.motion.forward(x, y);
      flow[2 * i] = tx - x;
      flow[2 * i + 1] = ty - y;
      occlusion[i] = tx < 0 || ty < 0 || tx > width - 1 || ty > height - 1 || front2(tx, ty) !== l ? 1 : 0;
    }
  return { height, width, frame1, frame2, flow, occlusion };
}
