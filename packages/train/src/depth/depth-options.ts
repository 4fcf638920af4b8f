import type { MethodOptions, TrainConfig, TrainDefaults } from '../config/train-config';
import { integerOption, invalid, numberOption } from '../methods/representation/representation-options';

/**
 * Monodepth's comparison of stereo training schemes (Godard et al. 2017, fig. 3, as in the lecture):
 * `'naive'` synthesises only the right view by sampling the left (input) image, so the network learns
 * the disparity of the right view's pixels (misaligned with the input it is evaluated on); `'no-lr'`
 * reconstructs both views (left disparity for the left, right disparity for the right) without the
 * consistency term; `'lr'` adds the left-right disparity consistency. All three keep SSIM + L1 and the
 * edge-aware smoothness, so only the sampling scheme and the consistency differ.
 */
export type StereoConsistency = 'naive' | 'no-lr' | 'lr';

/** Options every depth method has: input size, depth network, loss weights and the synthetic data. */
export interface DepthOptions extends MethodOptions {
  /** Input height and width, each a multiple of 32. */
  readonly height: number;
  readonly width: number;
  /** depthNet encoder and decoder widths (5 levels each). */
  readonly depthNet: { readonly encoderWidths: readonly number[]; readonly decoderWidths: readonly number[] };
  /** Disparity scales in the loss, 1 to 4 (full, 1/2, 1/4, 1/8), each upsampled to the input size. */
  readonly scales: number;
  /** SSIM share of the photometric loss. */
  readonly alpha: number;
  /** Edge-aware smoothness weight at full scale; scale s gets `smoothness / 2^s`. */
  readonly smoothness: number;
  /**
   * Synthetic data: scenes in the training pool, rendered once (lazily) and reused; 0 renders fresh
   * scenes every step (about 0.1 s per 64x192 frame on one core, so a fixed pool is several times faster).
   */
  readonly poolSize: number;
  /** Synthetic data: supersampling of the renderer (1 to 8). */
  readonly samples: number;
}

/** Options of the stereo method (Monodepth). */
export interface StereoOptions extends DepthOptions {
  /** Which loss terms (see {@link StereoConsistency}). */
  readonly consistency: StereoConsistency;
  /** Weight of the left-right disparity consistency term. */
  readonly leftRightWeight: number;
  /** Largest disparity as a fraction of the width (depthNet's `maxDisparity`). */
  readonly maxDisparity: number;
}

/** Options of the monocular methods (Monodepth2, SfMLearner). */
export interface MonocularOptions extends DepthOptions {
  /**
   * poseNet stage widths, and batch normalisation after each stage's convolution: Monodepth2's pose
   * encoder is a ResNet-18 (batch-normalised), SfMLearner's PoseCNN has none.
   */
  readonly poseNet: { readonly widths: readonly number[]; readonly batchNorm: boolean };
  /** The depth range of `disparityToDepth`. */
  readonly minDepth: number;
  readonly maxDepth: number;
}

/**
 * What the depth helpers (models, synthetic data, losses, evaluation) read from a run: the data kind,
 * the seed and batch size, and the method's options, with the fields of the other kind at their defaults.
 */
export interface DepthSettings {
  readonly kind: 'stereo-pairs' | 'frame-triplets';
  readonly seed: number;
  readonly batchSize: number;
  readonly height: number;
  readonly width: number;
  readonly depthNet: DepthOptions['depthNet'];
  readonly poseNet: MonocularOptions['poseNet'];
  readonly scales: number;
  readonly alpha: number;
  readonly smoothness: number;
  readonly consistency: StereoConsistency;
  readonly leftRightWeight: number;
  readonly maxDisparity: number;
  readonly minDepth: number;
  readonly maxDepth: number;
  readonly poolSize: number;
  readonly samples: number;
}

/**
 * Shared defaults, sized for two CPU cores: 64x192 input, batch 4, a narrow depthNet; the papers' loss
 * weights (Monodepth: alpha 0.85, smoothness 0.1, left-right 1; Monodepth2: smoothness 1e-3 on
 * mean-normalised disparity, depth range 0.1-100).
 */
export const DEPTH_OPTIONS = {
  height: 64,
  width: 192,
  depthNet: { encoderWidths: [16, 32, 48, 64, 96], decoderWidths: [8, 16, 24, 32, 48] },
  scales: 4,
  alpha: 0.85,
  poolSize: 256,
  samples: 2,
};

/** Shared-field defaults of the depth methods (the budget is each method's). */
export const DEPTH_DEFAULTS: TrainDefaults = {
  batchSize: 4,
  learningRate: 1e-3,
  schedule: 'cosine',
  warmupFraction: 0.02,
  checkpointEvery: 50,
};

/** Monocular defaults: pose network widths and depth range. */
export const MONOCULAR_OPTIONS = {
  ...DEPTH_OPTIONS,
  poseNet: { widths: [16, 32, 64, 96, 128], batchNorm: false },
  smoothness: 1e-3,
  minDepth: 0.1,
  maxDepth: 100,
};

function widths(value: unknown, field: string, length?: number): void {
  if (
    !Array.isArray(value) ||
    (length !== undefined && value.length !== length) ||
    value.length === 0 ||
    !value.every((w) => Number.isInteger(w) && w >= 1)
  )
    invalid(field, `${length ?? 'a list of'} positive integers`, value);
}

/** Validates the options all depth methods share. */
export function checkDepth(config: TrainConfig<DepthOptions>): void {
  const m = config.method;
  for (const side of ['height', 'width'] as const) {
    integerOption(m[side], `method.${side}`, 32);
    if (m[side] % 32 !== 0) invalid(`method.${side}`, 'a multiple of 32', m[side]);
  }
  widths(m.depthNet.encoderWidths, 'method.depthNet.encoderWidths', 5);
  widths(m.depthNet.decoderWidths, 'method.depthNet.decoderWidths', 5);
  integerOption(m.scales, 'method.scales', 1);
  if (m.scales > 4) invalid('method.scales', 'an integer in [1, 4]', m.scales);
  numberOption(m.alpha, 'method.alpha', 0, 1, true);
  numberOption(m.smoothness, 'method.smoothness', 0);
  integerOption(m.poolSize, 'method.poolSize', 0);
  integerOption(m.samples, 'method.samples', 1);
  if (m.samples > 8) invalid('method.samples', 'an integer in [1, 8]', m.samples);
}

/** Validates the monocular options. */
export function checkMonocular(config: TrainConfig<MonocularOptions>): void {
  checkDepth(config);
  const m = config.method;
  widths(m.poseNet.widths, 'method.poseNet.widths');
  if (typeof m.poseNet.batchNorm !== 'boolean')
    invalid('method.poseNet.batchNorm', 'true or false', m.poseNet.batchNorm);
  if (!(m.minDepth > 0 && m.maxDepth > m.minDepth && Number.isFinite(m.maxDepth)))
    invalid('method.minDepth', '0 < minDepth < maxDepth (finite)', [m.minDepth, m.maxDepth]);
}

/** The architecture and data fields a resumed depth run must share with its checkpoint. */
export function depthIdentity(options: DepthOptions): unknown {
  return [options.height, options.width, options.scales, options.depthNet, options['poseNet']];
}

/** The helpers' view of a depth run: `kind` is the data the method trains on. */
export function depthSettings(config: TrainConfig, kind: DepthSettings['kind']): DepthSettings {
  const m = config.method as Partial<StereoOptions & MonocularOptions> & DepthOptions;
  return {
    kind,
    seed: config.seed,
    batchSize: config.batchSize,
    height: m.height,
    width: m.width,
    depthNet: m.depthNet,
    poseNet: m.poseNet ?? MONOCULAR_OPTIONS.poseNet,
    scales: m.scales,
    alpha: m.alpha,
    smoothness: m.smoothness,
    consistency: m.consistency ?? 'lr',
    leftRightWeight: m.leftRightWeight ?? 1,
    maxDisparity: m.maxDisparity ?? 0.3,
    minDepth: m.minDepth ?? MONOCULAR_OPTIONS.minDepth,
    maxDepth: m.maxDepth ?? MONOCULAR_OPTIONS.maxDepth,
    poolSize: m.poolSize,
    samples: m.samples,
  };
}
