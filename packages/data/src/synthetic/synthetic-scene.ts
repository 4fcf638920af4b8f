import {
  ArgumentError,
  checkInteger,
  checkKey,
  checkNumber,
  checkOptions,
  describeValue,
  type Key,
} from '@genoise/core';

import type { Rgb } from '../internal/procedural-texture';
import { RandomStream } from '../internal/random-stream';

/** A procedural solid texture, defined on 3-D points in a surface's own coordinates. */
export interface SurfaceTexture {
  /**
   * `'noise'`: three-octave value noise through a three-colour ramp; `'checkers'`: smooth-edged
   * checkers of cell size `1 / frequency` on the two axes across the local normal; `'stripes'`:
   * noise-warped sinusoidal stripes along `direction`; `'blobs'`: thresholded noise patches.
   */
  readonly pattern: 'noise' | 'checkers' | 'stripes' | 'blobs';
  /** Three albedo colours, RGB in [0, 1]. */
  readonly colours: readonly [Rgb, Rgb, Rgb];
  /** The base frequency in cycles per scene unit. */
  readonly frequency: number;
  /** A unit vector, the stripes' direction. */
  readonly direction: readonly [number, number, number];
  /** Added to the local point before evaluation, so equal textures on two surfaces differ. */
  readonly offset: readonly [number, number, number];
  /** The uint32 seed of the noise lattice. */
  readonly seed: number;
}

/** What every surface of a {@link SyntheticScene} has. */
interface SurfaceBase {
  readonly texture: SurfaceTexture;
  /** Translation per unit of time (scene units), `[0, 0, 0]` for static surfaces. */
  readonly velocity: readonly [number, number, number];
  /** Turn about the vertical axis per unit of time, radians. */
  readonly yawRate: number;
}

/** An infinite plane `p[axis] = offset`, facing `side · e_axis` (into the room). */
export interface PlaneSurface extends SurfaceBase {
  readonly kind: 'plane';
  readonly axis: 0 | 1 | 2;
  readonly offset: number;
  readonly side: 1 | -1;
}

/** A sphere; its local frame turns with `yaw` (radians about the vertical axis) at time 0. */
export interface SphereSurface extends SurfaceBase {
  readonly kind: 'sphere';
  readonly centre: readonly [number, number, number];
  readonly radius: number;
  readonly yaw: number;
}

/** A box with half sizes `halfSize`, turned by `yaw` (radians about the vertical axis) at time 0. */
export interface BoxSurface extends SurfaceBase {
  readonly kind: 'box';
  readonly centre: readonly [number, number, number];
  readonly halfSize: readonly [number, number, number];
  readonly yaw: number;
}

/** One surface of a {@link SyntheticScene}. */
export type SceneSurface = PlaneSurface | SphereSurface | BoxSurface;

/**
 * A textured 3-D scene: a closed room (ground, ceiling, four walls, so every ray hits something at a
 * finite depth) holding boxes and spheres, lit by a fixed directional light plus ambient light.
 *
 * World coordinates follow the camera convention: x right, y **down**, z forward; the ground is the
 * plane `y = groundY > 0` below a camera at height 0.
 */
export interface SyntheticScene {
  /** Planes first (ground, ceiling, left, right, back, front walls), then the objects. */
  readonly surfaces: readonly SceneSurface[];
  /** A unit vector towards the light (world coordinates, at time 0). */
  readonly light: readonly [number, number, number];
  /** The ambient fraction `a` of the shading `albedo · (a + (1 - a) · max(0, n · light))`. */
  readonly ambient: number;
  /** The ground plane's height `y` (the camera height above the ground at y = 0). */
  readonly groundY: number;
}

/** Options of {@link syntheticScene}. */
export interface SyntheticSceneOptions {
  /** Boxes and spheres to place, an integer in [0, 64]. Default `8`. */
  readonly objects?: number;
  /** How many of the objects move (the first ones), an integer in [0, objects]. Default `0`. */
  readonly movingObjects?: number;
  /** The largest speed of a moving object, scene units per unit of time, >= 0. Default `0.25`. */
  readonly objectSpeed?: number;
  /**
   * A multiplier of every texture's frequency, > 0. Default `1`: patterns of roughly 0.5 to 3
   * cycles per scene unit (coarser on walls).
   */
  readonly textureFrequency?: number;
  /**
   * World points (camera positions) that objects keep at least 1 unit away from, horizontally; the
   * room is also made to enclose them with room to spare. Default `[[0, 0, 0]]`.
   */
  readonly keepOut?: readonly (readonly [number, number, number])[];
}

const OP = 'syntheticScene';

function hsv(h: number, s: number, v: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h * 6) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5), f(3), f(1)];
}

function randomTexture(rng: RandomStream, frequency: number): SurfaceTexture {
  const pattern = rng.pick(['noise', 'checkers', 'stripes', 'blobs'] as const);
  const hue = rng.uniform();
  const colour = (h: number): Rgb => hsv(((h % 1) + 1) % 1, rng.uniform(0.3, 0.9), rng.uniform(0.15, 1));
  const colours: [Rgb, Rgb, Rgb] = [
    colour(hue),
    colour(hue + rng.uniform(0.15, 0.5)),
    colour(hue + rng.uniform(0.5, 0.85)),
  ];
  const theta = rng.uniform(0, 2 * Math.PI);
  const z = rng.uniform(-1, 1);
  const r = Math.sqrt(1 - z * z);
  return {
    pattern,
    colours,
    frequency,
    direction: [r * Math.cos(theta), r * Math.sin(theta), z],
    offset: [rng.uniform(-50, 50), rng.uniform(-50, 50), rng.uniform(-50, 50)],
    seed: rng.seed(),
  };
}

const STILL = [0, 0, 0] as const;

function checkKeepOut(keepOut: unknown): asserts keepOut is readonly (readonly [number, number, number])[] {
  const ok =
    Array.isArray(keepOut) &&
    keepOut.length > 0 &&
    keepOut.every(
      (p) =>
        Array.isArray(p) && p.length === 3 && p.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok) {
    throw new ArgumentError({
      op: OP,
      argument: 'keepOut',
      expected: 'a non-empty array of [x, y, z] points',
      actual: describeValue(keepOut),
    });
  }
}

/**
 * Generates a random textured scene from `key`: the same key and options always give the same
 * scene. The room: ground `y = groundY` with `groundY ~ U(1.2, 1.8)` (camera height), a ceiling 3.5
 * to 6 units above the camera, side walls 3.5 to 6 units to each side, a back wall 22 to 32 units
 * beyond the farthest `keepOut` point and a front wall 4 to 8 units behind the nearest. Objects are
 * spheres (radius 0.35 to 1.1) and boxes (half sizes 0.3 to 1.1, turned about the vertical) resting on
 * the ground or floating up to 2 units above it, at least 2 units ahead of the nearest `keepOut` point
 * and 1 unit away (horizontally) from every one. Each surface has its own random
 * {@link SurfaceTexture}; the light comes from above at a random angle, ambient fraction 0.3 to 0.45.
 *
 * @param key - the scene's key
 * @param options - see {@link SyntheticSceneOptions}
 * @returns a {@link SyntheticScene}, plain data, ready for {@link renderScene}
 * @throws ArgumentError for a bad key or option
 * @example
 * ```ts
 * const scene = syntheticScene(createKey(7), { objects: 10 });
 * console.log(scene.surfaces.length); // 16 (6 planes + up to 10 objects)
 * ```
 */
export function syntheticScene(key: Key, options: SyntheticSceneOptions = {}): SyntheticScene {
  checkKey(key, OP);
  checkOptions(options, ['objects', 'movingObjects', 'objectSpeed', 'textureFrequency', 'keepOut'], {
    op: OP,
  });
  const { objects = 8, movingObjects = 0, objectSpeed = 0.25, textureFrequency = 1 } = options;
  const { keepOut = [[0, 0, 0]] } = options;
  checkInteger(objects, { op: OP, arg: 'objects', min: 0, max: 64 });
  checkInteger(movingObjects, { op: OP, arg: 'movingObjects', min: 0, max: objects });
  checkNumber(objectSpeed, { op: OP, arg: 'objectSpeed', min: 0 });
  checkNumber(textureFrequency, { op: OP, arg: 'textureFrequency', min: 0, exclusiveMin: true });
  checkKeepOut(keepOut);

  const rng = new RandomStream(key);
  const tf = textureFrequency;
  const minX = Math.min(...keepOut.map((p) => p[0]));
  const maxX = Math.max(...keepOut.map((p) => p[0]));
  const minY = Math.min(...keepOut.map((p) => p[1]));
  const minZ = Math.min(...keepOut.map((p) => p[2]));
  const maxZ = Math.max(...keepOut.map((p) => p[2]));
  const groundY = Math.max(...keepOut.map((p) => p[1])) + rng.uniform(1.2, 1.8);
  const ceilingY = minY - rng.uniform(3.5, 6);
  const leftX = minX - rng.uniform(3.5, 6);
  const rightX = maxX + rng.uniform(3.5, 6);
  const backZ = maxZ + rng.uniform(22, 32);
  const frontZ = minZ - rng.uniform(4, 8);
  const plane = (axis: 0 | 1 | 2, offset: number, side: 1 | -1, frequency: number): PlaneSurface => ({
    kind: 'plane',
    axis,
    offset,
    side,
    texture: randomTexture(rng, frequency * tf),
    velocity: STILL,
    yawRate: 0,
  });
  const surfaces: SceneSurface[] = [
    plane(1, groundY, -1, rng.uniform(0.8, 2)),
    plane(1, ceilingY, 1, rng.uniform(0.3, 0.7)),
    plane(0, leftX, 1, rng.uniform(0.4, 1)),
    plane(0, rightX, -1, rng.uniform(0.4, 1)),
    plane(2, backZ, -1, rng.uniform(0.25, 0.6)),
    plane(2, frontZ, 1, rng.uniform(0.4, 1)),
  ];

  for (let i = 0; i < objects; i++) {
    const isSphere = rng.uniform() < 0.5;
    const radius = rng.uniform(0.35, 1.1);
    const halfSize: [number, number, number] = [
      rng.uniform(0.3, 1.1),
      rng.uniform(0.3, 1.1),
      rng.uniform(0.3, 1.1),
    ];
    const yaw = rng.uniform(-Math.PI, Math.PI);
    const halfHeight = isSphere ? radius : halfSize[1];
    const reach = isSphere ? radius : Math.hypot(halfSize[0], halfSize[2]);
    const lift = rng.uniform() < 0.25 ? rng.uniform(0.5, 2) : 0;
    const texture = randomTexture(rng, rng.uniform(0.8, 2) * tf);
    const moving = i < movingObjects;
    const heading = rng.uniform(0, 2 * Math.PI);
    const speed = moving ? rng.uniform(0.4, 1) * objectSpeed : 0;
    const velocity: [number, number, number] = moving
      ? [speed * Math.cos(heading), 0, speed * Math.sin(heading)]
      : [0, 0, 0];
    const yawRate = moving ? rng.uniform(-0.15, 0.15) : 0;
    let placed: [number, number, number] | undefined;
    for (let attempt = 0; attempt < 40 && placed === undefined; attempt++) {
      const x = rng.uniform(leftX + reach, rightX - reach);
      const z = rng.uniform(minZ + 2 + reach, Math.min(backZ - reach - 0.5, maxZ + 20));
      const clear = keepOut.every((p) => Math.hypot(p[0] - x, p[2] - z) > reach + 1);
      if (clear && x > leftX + reach && x < rightX - reach) placed = [x, groundY - halfHeight - lift, z];
    }
    if (placed === undefined) continue;
    surfaces.push(
      isSphere
        ? { kind: 'sphere', centre: placed, radius, yaw, texture, velocity, yawRate }
        : { kind: 'box', centre: placed, halfSize, yaw, texture, velocity, yawRate },
    );
  }
  const lx = rng.uniform(-0.6, 0.6);
  const lz = rng.uniform(-0.9, -0.2);
  const norm = Math.hypot(lx, 1, lz);
  return {
    surfaces,
    light: [lx / norm, -1 / norm, lz / norm],
    ambient: rng.uniform(0.3, 0.45),
    groundY,
  };
}
