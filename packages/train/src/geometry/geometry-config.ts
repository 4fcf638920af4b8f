import { ArgumentError } from '@genoise/core';

/** The self-supervised geometry recipes: stereo Monodepth, Monodepth2 and the SfMLearner baseline. */
export type GeometryMethodName = 'stereo' | 'monodepth2' | 'sfmlearner';

/** All geometry recipe names. */
export const GEOMETRY_METHOD_NAMES: readonly GeometryMethodName[] = ['stereo', 'monodepth2', 'sfmlearner'];

/**
 * Monodepth's comparison of stereo losses (Godard et al. 2017, table 1): `'naive'` reconstructs only
 * the left view from the right with the left disparity; `'no-lr'` reconstructs both views (left
 * disparity for the left, right disparity for the right) without the consistency term; `'lr'` adds the
 * left-right disparity consistency.
 */
export type StereoConsistency = 'naive' | 'no-lr' | 'lr';

/** Everything that defines a geometry run; saved with every checkpoint so a resume continues the same run. */
export interface GeometryConfig {
  readonly method: GeometryMethodName;
  /** Seed of the run's root key: weights, data order, the scene pool and auto-mask noise derive from it. */
  readonly seed: number;
  /** Total optimisation steps. */
  readonly steps: number;
  readonly batchSize: number;
  /** Input `[height, width]`, each divisible by 32. */
  readonly height: number;
  readonly width: number;
  /** Peak Adam learning rate. */
  readonly learningRate: number;
  /** `'cosine'`: linear warm-up then cosine to 0; `'step'`: warm-up, then x0.1 for the last quarter (Monodepth2's schedule). */
  readonly schedule: 'cosine' | 'step';
  /** Share of the steps spent warming up. */
  readonly warmupFraction: number;
  /** depthNet encoder and decoder widths (5 levels each). */
  readonly depthNet: { readonly encoderWidths: readonly number[]; readonly decoderWidths: readonly number[] };
  /** poseNet stage widths (monocular recipes). */
  readonly poseNet: { readonly widths: readonly number[] };
  /** Disparity scales in the loss, 1 to 4 (full, 1/2, 1/4, 1/8), each upsampled to the input size. */
  readonly scales: number;
  /** SSIM share of the photometric loss. */
  readonly alpha: number;
  /** Edge-aware smoothness weight at full scale; scale s gets `smoothness / 2^s`. */
  readonly smoothness: number;
  /** Stereo: left-right consistency weight. */
  readonly lrWeight: number;
  /** Stereo: which loss terms (see {@link StereoConsistency}). */
  readonly consistency: StereoConsistency;
  /** Stereo: largest disparity as a fraction of the width (depthNet's `maxDisparity`). */
  readonly maxDisparity: number;
  /** Monocular: the depth range of `disparityToDepth`. */
  readonly minDepth: number;
  readonly maxDepth: number;
  /**
   * Synthetic data: scenes in the training pool, rendered once (lazily) and reused; 0 renders fresh
   * scenes every step (about 0.1 s per 64x192 frame on one core, so a fixed pool is several times faster).
   */
  readonly poolSize: number;
  /** Synthetic data: supersampling of the renderer (1 or 2). */
  readonly samples: number;
  /** Write a checkpoint every this many steps (and at the end and on abort). */
  readonly checkpointEvery: number;
  /** Append a metrics line every this many steps. */
  readonly logEvery: number;
}

/**
 * Defaults per recipe, sized for two CPU cores on wasm: 64x192 input, batch 4, a narrow depthNet.
 * Loss weights are the papers' (Monodepth: alpha 0.85, smoothness 0.1, left-right 1; Monodepth2:
 * smoothness 1e-3 on mean-normalised disparity, depth range 0.1-100).
 */
export function defaultGeometryConfig(method: GeometryMethodName = 'stereo'): GeometryConfig {
  if (!GEOMETRY_METHOD_NAMES.includes(method)) {
    throw new ArgumentError({
      op: 'defaultGeometryConfig',
      argument: 'method',
      expected: GEOMETRY_METHOD_NAMES.join(' | '),
      actual: JSON.stringify(method),
    });
  }
  const stereo = method === 'stereo';
  return {
    method,
    seed: 0,
    // Measured on two shared cores (wasm, 64x192, batch 4): stereo 400 steps took 7.7 CPU minutes and
    // reached abs_rel 0.282 vs 0.426 for the constant-depth baseline.
    steps: stereo ? 400 : 500,
    batchSize: 4,
    height: 64,
    width: 192,
    learningRate: 1e-3,
    schedule: 'cosine',
    warmupFraction: 0.02,
    depthNet: { encoderWidths: [16, 32, 48, 64, 96], decoderWidths: [8, 16, 24, 32, 48] },
    poseNet: { widths: [16, 32, 64, 96, 128] },
    scales: 4,
    alpha: 0.85,
    smoothness: stereo ? 0.1 : 1e-3,
    lrWeight: 1,
    consistency: 'lr',
    maxDisparity: 0.3,
    minDepth: 0.1,
    maxDepth: 100,
    poolSize: 256,
    samples: 2,
    checkpointEvery: 50,
    logEvery: 1,
  };
}

type Overrides<T> = { -readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : Overrides<T[K]> };

/** A partial geometry config, as read from a file or flags. */
export type GeometryConfigOverrides = Overrides<GeometryConfig>;

function fail(argument: string, expected: string, actual: unknown): never {
  throw new ArgumentError({
    op: 'resolveGeometryConfig',
    argument,
    expected,
    actual: JSON.stringify(actual),
  });
}

function integerIn(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    fail(
      name,
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`,
      value,
    );
}

function nonNegative(value: unknown, name: string): void {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    fail(name, 'a finite number >= 0', value);
}

function widths(value: unknown, name: string, length?: number): void {
  if (
    !Array.isArray(value) ||
    (length !== undefined && value.length !== length) ||
    value.length === 0 ||
    !value.every((w) => Number.isInteger(w) && w >= 1)
  )
    fail(name, `${length ?? 'a list of'} positive integers`, value);
}

/**
 * The recipe's defaults with `overrides` merged in (one level deep for `depthNet` and `poseNet`), validated.
 *
 * @throws ArgumentError naming the first invalid field, e.g.
 *   `resolveGeometryConfig: 'height' is 70 but expected a multiple of 32.`
 * @example
 * ```ts
 * const config = resolveGeometryConfig({ method: 'stereo', steps: 200, consistency: 'no-lr' });
 * ```
 */
export function resolveGeometryConfig(overrides: GeometryConfigOverrides = {}): GeometryConfig {
  const base = defaultGeometryConfig(overrides.method ?? 'stereo');
  const merged = { ...base } as Record<string, unknown>;
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in base)) fail(name, `one of ${Object.keys(base).join(', ')}`, 'an unknown field');
    const current = (base as unknown as Record<string, unknown>)[name];
    merged[name] =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? { ...current, ...(value as object) }
        : value;
  }
  const c = merged as unknown as GeometryConfig;
  if (!GEOMETRY_METHOD_NAMES.includes(c.method)) fail('method', GEOMETRY_METHOD_NAMES.join(' | '), c.method);
  integerIn(c.seed, 'seed', 0);
  integerIn(c.steps, 'steps', 1);
  integerIn(c.batchSize, 'batchSize', 1);
  for (const side of ['height', 'width'] as const) {
    integerIn(c[side], side, 32);
    if (c[side] % 32 !== 0) fail(side, 'a multiple of 32', c[side]);
  }
  if (!(c.learningRate > 0) || !Number.isFinite(c.learningRate))
    fail('learningRate', 'a positive number', c.learningRate);
  if (c.schedule !== 'cosine' && c.schedule !== 'step') fail('schedule', "'cosine' | 'step'", c.schedule);
  if (!(c.warmupFraction >= 0 && c.warmupFraction < 1))
    fail('warmupFraction', 'a number in [0, 1)', c.warmupFraction);
  widths(c.depthNet.encoderWidths, 'depthNet.encoderWidths', 5);
  widths(c.depthNet.decoderWidths, 'depthNet.decoderWidths', 5);
  widths(c.poseNet.widths, 'poseNet.widths');
  integerIn(c.scales, 'scales', 1, 4);
  if (!(c.alpha >= 0 && c.alpha <= 1)) fail('alpha', 'a number in [0, 1]', c.alpha);
  nonNegative(c.smoothness, 'smoothness');
  nonNegative(c.lrWeight, 'lrWeight');
  if (!['naive', 'no-lr', 'lr'].includes(c.consistency))
    fail('consistency', "'naive' | 'no-lr' | 'lr'", c.consistency);
  if (!(c.maxDisparity > 0 && c.maxDisparity <= 1))
    fail('maxDisparity', 'a number in (0, 1]', c.maxDisparity);
  if (!(c.minDepth > 0 && c.maxDepth > c.minDepth && Number.isFinite(c.maxDepth)))
    fail('minDepth', '0 < minDepth < maxDepth (finite)', [c.minDepth, c.maxDepth]);
  integerIn(c.poolSize, 'poolSize', 0);
  integerIn(c.samples, 'samples', 1, 8);
  integerIn(c.checkpointEvery, 'checkpointEvery', 1);
  integerIn(c.logEvery, 'logEvery', 1);
  return c;
}
