import type { MethodOptions, TrainConfig, TrainDefaults } from '../config/train-config';
import { checkPyramidRun, checkSyntheticPool } from '../internal/pyramid-options';
import { invalid, numberOption } from '../methods/representation/representation-options';

/** The scene-flow method's options (self-mono-sf, sized for two CPU cores). */
export interface SceneFlowOptions extends MethodOptions {
  /** Input height and width, each a multiple of `2^levels`. */
  readonly height: number;
  readonly width: number;
  /** sceneFlowNet: pyramid levels, finest estimated level, cost-volume range, feature and estimator widths. */
  readonly network: {
    readonly levels: number;
    readonly finestLevel: number;
    readonly maxDisplacement: number;
    readonly widths: readonly number[];
    readonly estimatorWidths: readonly number[];
  };
  /** Disparity = `maxDisparity · sigmoid`, a fraction of the width (self-mono-sf: 0.3). */
  readonly maxDisparity: number;
  /** Loss weights per loss level, finest first (self-mono-sf: 4, 2, 1, 1, 1); their count sets the levels used. */
  readonly levelWeights: readonly number[];
  /** SSIM share of the photometric loss (0.85). */
  readonly alpha: number;
  /** Disparity smoothness weight (0.1; second order, edge weight 10, divided by 2^level). */
  readonly disparitySmoothness: number;
  /** 3-D point reconstruction weight (0.2). */
  readonly pointWeight: number;
  /**
   * 3-D scene-flow smoothness weight (divided by ||P|| and 2^level). Default 200 (the paper's): at the
   * default budget it gave held-out D1 8.9%, Fl 52.0%, EPE3d 0.581 against 7.7%, 56.4%, 0.673 at 20.
   */
  readonly sceneFlowSmoothness: number;
  /** `'dynamic'`: self-mono-sf's balance of the depth and scene-flow sums; `'static'`: their plain sum. */
  readonly balance: 'dynamic' | 'static';
  /** Synthetic stereo videos in the training pool, each rendered once on first use (0: a fresh video every step). */
  readonly poolSize: number;
  /** Renderer supersampling (1 to 8). */
  readonly samples: number;
  /** Independently moving objects per synthetic video. */
  readonly movingObjects: number;
}

/**
 * Defaults for two CPU cores: 64x128 input, a 4-level pyramid estimated down to 1/4 (the paper: 7 levels
 * down to 1/4 at 256x832), three loss levels with the paper's first three weights, the paper's loss
 * weights and dynamic balance. `maxDisparity` is 0.1, not the paper's 0.3: the synthetic videos'
 * disparities span 1.4 to 12.5 px at width 128 (median 4.3 px, 5th to 95th percentile 1.4 to 9.3), so the
 * sigmoid's midpoint starts at 6.4 px instead of 19 px, where the photometric gradient is noise.
 */
export const SCENE_FLOW_OPTIONS = {
  height: 64,
  width: 128,
  network: {
    levels: 4,
    finestLevel: 2,
    maxDisplacement: 3,
    widths: [16, 24, 32, 48],
    estimatorWidths: [32, 24, 16],
  },
  maxDisparity: 0.1,
  levelWeights: [4, 2, 1],
  alpha: 0.85,
  disparitySmoothness: 0.1,
  pointWeight: 0.2,
  sceneFlowSmoothness: 200,
  balance: 'dynamic' as const,
  poolSize: 64,
  samples: 2,
  movingObjects: 3,
};

/**
 * Shared-field defaults: batch 4, Adam 1e-3 with a short warm-up, cosine (self-mono-sf: 2e-4 over
 * hundreds of thousands of steps; a budget of a few hundred steps needs the larger rate).
 */
export const SCENE_FLOW_DEFAULTS: TrainDefaults = {
  batchSize: 4,
  learningRate: 1e-3,
  schedule: 'cosine',
  warmupFraction: 0.02,
  checkpointEvery: 50,
};

/** Validates the scene-flow options; throws an ArgumentError naming `method.<field>`. */
export function checkSceneFlow(config: TrainConfig<SceneFlowOptions>): void {
  const m = config.method;
  const n = m.network;
  checkPyramidRun(m, n, 'network');
  numberOption(m.maxDisparity, 'method.maxDisparity', Number.MIN_VALUE, 1, true);
  const lossLevels = n.levels - n.finestLevel + 1;
  if (
    !Array.isArray(m.levelWeights) ||
    m.levelWeights.length === 0 ||
    m.levelWeights.length > lossLevels ||
    !m.levelWeights.every((w) => typeof w === 'number' && w >= 0 && Number.isFinite(w))
  )
    invalid(
      'method.levelWeights',
      `1 to ${lossLevels} non-negative numbers (one per estimated level)`,
      m.levelWeights,
    );
  numberOption(m.alpha, 'method.alpha', 0, 1, true);
  numberOption(m.disparitySmoothness, 'method.disparitySmoothness', 0);
  numberOption(m.pointWeight, 'method.pointWeight', 0);
  numberOption(m.sceneFlowSmoothness, 'method.sceneFlowSmoothness', 0);
  if (m.balance !== 'dynamic' && m.balance !== 'static')
    invalid('method.balance', "'dynamic' | 'static'", m.balance);
  checkSyntheticPool(m);
}

/** The architecture and data fields a resumed run must share with its checkpoint. */
export function sceneFlowIdentity(options: SceneFlowOptions): unknown {
  return [options.height, options.width, options.network, options.maxDisparity];
}
