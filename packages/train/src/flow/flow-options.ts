import type { MethodOptions, TrainConfig, TrainDefaults } from '../config/train-config';
import { checkPyramidRun, checkSyntheticPool, positiveIntegers } from '../internal/pyramid-options';
import { invalid, numberOption } from '../methods/representation/representation-options';

/** The flow network's architecture (`@genoise/models`' `flowNet` options). */
export interface FlowNetSettings {
  /** Pyramid levels L, 2 to 6 (H and W divisible by `2^L`). */
  readonly levels: number;
  /** The finest level with an estimator, 1 to L (PWC-Net: 2). */
  readonly finestLevel: number;
  /** Cost-volume search range d per level, pixels of that level. */
  readonly maxDisplacement: number;
  /** Feature channels of the L pyramid levels, finest first. */
  readonly widths: readonly number[];
  /** Hidden widths of each level's flow estimator. */
  readonly estimatorWidths: readonly number[];
}

/** Photometric augmentation of the network's input (UnFlow's `random_photometric`, the same draw for both frames of a pair). */
export interface FlowAugmentSettings {
  /** Augment at all. */
  readonly enabled: boolean;
  /** Contrast factor `1 + c`, `c` uniform in `[-contrast, contrast]`. */
  readonly contrast: number;
  /** Additive brightness, normal with this standard deviation. */
  readonly brightness: number;
  /** Per-channel gain uniform in `[1 - color, 1 + color]`. */
  readonly color: number;
  /** Gamma exponent uniform in `[1 - gamma, 1 + gamma]` (UnFlow: 0.7 to 1.5). */
  readonly gamma: number;
  /** Additive Gaussian pixel noise, standard deviation. */
  readonly noise: number;
}

/** The synthetic pairs a flow run trains and is evaluated on (see {@link UnflowOptions.scenes}). */
export type FlowScenes = 'flying-shapes' | 'corridor';

/** UnFlow's options: input size, network, loss weights, occlusion check, augmentation and the synthetic pool. */
export interface UnflowOptions extends MethodOptions {
  readonly name: 'unflow';
  /** Input height and width, each a multiple of `2^flowNet.levels`. */
  readonly height: number;
  readonly width: number;
  readonly flowNet: FlowNetSettings;
  /**
   * Loss weight of each flow output, finest first: the full-resolution flow, then levels
   * `finestLevel..levels` (UnFlow: 12.7, 4.35, 3.9, 3.4, 1.1); missing entries weigh 0.
   */
  readonly levelWeights: readonly number[];
  /** Census patch radius per output, finest first (UnFlow: 3, 2, 2, 1, 1); the last repeats. */
  readonly censusRadii: readonly number[];
  /** The data term: `'census'` (UnFlow) or `'photometric'` (ARFlow's L1 + SSIM; see `unflowLoss`). */
  readonly dataTerm: 'census' | 'photometric';
  /** Weight of the data term (UnFlow: 1). */
  readonly census: number;
  /** Weight of the second-order smoothness (UnFlow: 3). */
  readonly smoothness: number;
  /** Weight of the forward-backward consistency term (UnFlow: 0.2). */
  readonly consistency: number;
  /**
   * Share of the run, in [0, 1), trained on the data term alone (no smoothness, consistency or
   * forward-backward mask); the smoothness and consistency weights then ramp up linearly over the next
   * quarter of that share, and the mask switches on. 0 is UnFlow's recipe. With the regularisers on
   * from the first step the small network's flows collapse to zero within ~100 steps and never leave
   * (the smoothness and consistency pull harder than the data term can build matches); the data term
   * alone first learns to match, then the regularisers clean the field up.
   */
  readonly regularizerWarmup: number;
  /** Mask the data and consistency terms by the forward-backward occlusion check (UnFlow: on). */
  readonly occlusionMask: boolean;
  /** The check's tolerances: `|w_f + w_b'|^2 > alpha1 (|w_f|^2 + |w_b'|^2) + alpha2` (UnFlow: 0.01, 0.5). */
  readonly occlusion: { readonly alpha1: number; readonly alpha2: number };
  readonly augment: FlowAugmentSettings;
  /**
   * The synthetic pairs: `'flying-shapes'` (FlyingChairs-style textured shapes under their own similarity
   * motions, `@genoise/data`'s `flyingShapes`; the default) or `'corridor'` (the renderer's rooms seen
   * by a moving camera, `syntheticFlow`: smooth, low-contrast, and mostly forward motion).
   */
  readonly scenes: FlowScenes;
  /** Synthetic data: pairs in the training pool, rendered once (lazily) and reused; 0 renders fresh pairs every step. */
  readonly poolSize: number;
  /** Synthetic data: supersampling of the renderer (1 to 8). */
  readonly samples: number;
  /** Synthetic data (`'corridor'` only): objects moving on their own between the frames. */
  readonly movingObjects: number;
}

/**
 * UnFlow's defaults, sized for two CPU cores (see the method's TSDoc for where they depart from the
 * paper): UnFlow's census data term and weights (smoothness 3, consistency 0.2, level weights, radii),
 * with half the run on the data term alone (`regularizerWarmup: 0.5`; from step 0 the flows collapse to
 * zero) and no input augmentation (its noise, 0.04, is larger than the images' pixel-to-pixel contrast;
 * 1,000 steps into one photometric run, EPE 2.31 with it, 2.02 without), on a pool of 2,048 pairs (at
 * 2,000 steps, Adam 2e-3, seed 0: EPE 1.60 with 256 pairs, 1.44 with 1,024, 1.47 with 2,048; seed 1
 * 1.40). UnFlow's own schedule: `regularizerWarmup: 0, augment.enabled: true`. ARFlow's photometric
 * term: `dataTerm: 'photometric'` with smoothness about 0.1 and consistency 0.02 (at 3 and 0.2 it
 * collapses after the warm-up).
 */
export const UNFLOW_OPTIONS = {
  height: 64,
  width: 64,
  flowNet: {
    levels: 4,
    finestLevel: 2,
    maxDisplacement: 4,
    widths: [12, 24, 32, 48],
    estimatorWidths: [32, 24, 16],
  },
  levelWeights: [12.7, 4.35, 3.9, 3.4],
  censusRadii: [3, 2, 2, 1],
  dataTerm: 'census' as 'census' | 'photometric',
  census: 1,
  smoothness: 3,
  consistency: 0.2,
  regularizerWarmup: 0.5,
  occlusionMask: true,
  occlusion: { alpha1: 0.01, alpha2: 0.5 },
  augment: { enabled: false, contrast: 0.3, brightness: 0.02, color: 0.1, gamma: 0.3, noise: 0.04 },
  scenes: 'flying-shapes' as FlowScenes,
  poolSize: 2048,
  samples: 2,
  movingObjects: 2,
} satisfies Omit<UnflowOptions, 'name'>;

/** UnFlow's shared-field defaults (its budget is the method's). */
export const UNFLOW_DEFAULTS: TrainDefaults = {
  batchSize: 4,
  learningRate: 2e-3,
  schedule: 'cosine',
  warmupFraction: 0.02,
  checkpointEvery: 50,
};

/**
 * Every weighted loss output must be large enough for its stencils: at least `2r + 1` pixels per side
 * for its census patch (radius `r`), and 3 for the second-order smoothness. The outputs are the full
 * resolution, then levels `finestLevel..levels` (side `H / 2^l`).
 */
function checkLossLevels(m: UnflowOptions): void {
  const levels = [0];
  for (let l = m.flowNet.finestLevel; l <= m.flowNet.levels; l++) levels.push(l);
  levels.forEach((level, i) => {
    if ((m.levelWeights[i] ?? 0) === 0) return;
    const side = Math.min(m.height, m.width) / 2 ** level;
    const radius = m.censusRadii[Math.min(i, m.censusRadii.length - 1)]!;
    const needed = m.dataTerm === 'census' ? Math.max(3, 2 * radius + 1) : 3;
    if (side < needed)
      invalid(
        `method.levelWeights[${i}]`,
        `0 for an output of ${side} px per side (level ${level} of ${m.height}x${m.width}; its ${m.dataTerm === 'census' ? `census patch needs ${needed}` : 'smoothness needs 3'}), or a larger image or smaller census radius`,
        m.levelWeights[i],
      );
  });
}

/**
 * The loss weights of step `step` of `totalSteps` under {@link UnflowOptions.regularizerWarmup}: the data
 * term alone for the first `w = warmup · totalSteps` steps, then smoothness and consistency ramped
 * linearly from 0 to their weights over `w / 4` steps, the forward-backward mask on from step `w`.
 */
export function unflowScheduledWeights(
  options: Pick<UnflowOptions, 'smoothness' | 'consistency' | 'occlusionMask' | 'regularizerWarmup'>,
  step: number,
  totalSteps: number,
): { smoothness: number; consistency: number; occlusionMask: boolean } {
  const start = options.regularizerWarmup * totalSteps;
  if (start <= 0)
    return {
      smoothness: options.smoothness,
      consistency: options.consistency,
      occlusionMask: options.occlusionMask,
    };
  const ramp = Math.min(1, Math.max(0, (step - start) / (start / 4)));
  return {
    smoothness: options.smoothness * ramp,
    consistency: options.consistency * ramp,
    occlusionMask: options.occlusionMask && step >= start,
  };
}

/** Validates UnFlow's options, naming the field. */
export function checkUnflow(config: TrainConfig<UnflowOptions>): void {
  const m = config.method;
  checkPyramidRun(m, m.flowNet, 'flowNet');
  if (!Array.isArray(m.levelWeights) || !m.levelWeights.every((w) => Number.isFinite(w) && w >= 0))
    invalid('method.levelWeights', 'a list of numbers >= 0', m.levelWeights);
  positiveIntegers(m.censusRadii, 'method.censusRadii');
  checkLossLevels(m);
  if (m.dataTerm !== 'census' && m.dataTerm !== 'photometric')
    invalid('method.dataTerm', "'census' or 'photometric'", m.dataTerm);
  numberOption(m.census, 'method.census', 0);
  numberOption(m.smoothness, 'method.smoothness', 0);
  numberOption(m.consistency, 'method.consistency', 0);
  numberOption(m.regularizerWarmup, 'method.regularizerWarmup', 0, 1);
  if (m.regularizerWarmup >= 1)
    invalid('method.regularizerWarmup', 'a number in [0, 1)', m.regularizerWarmup);
  if (typeof m.occlusionMask !== 'boolean') invalid('method.occlusionMask', 'true or false', m.occlusionMask);
  numberOption(m.occlusion.alpha1, 'method.occlusion.alpha1', 0);
  numberOption(m.occlusion.alpha2, 'method.occlusion.alpha2', 0);
  if (typeof m.augment.enabled !== 'boolean')
    invalid('method.augment.enabled', 'true or false', m.augment.enabled);
  numberOption(m.augment.contrast, 'method.augment.contrast', 0, 1);
  numberOption(m.augment.brightness, 'method.augment.brightness', 0);
  numberOption(m.augment.color, 'method.augment.color', 0, 1);
  numberOption(m.augment.gamma, 'method.augment.gamma', 0, 1);
  numberOption(m.augment.noise, 'method.augment.noise', 0);
  if (m.scenes !== 'flying-shapes' && m.scenes !== 'corridor')
    invalid('method.scenes', "'flying-shapes' or 'corridor'", m.scenes);
  checkSyntheticPool(m);
}

/** The architecture and data fields a resumed UnFlow run must share with its checkpoint. */
export function unflowIdentity(options: UnflowOptions): unknown {
  return [options.height, options.width, options.flowNet, options.scenes];
}
