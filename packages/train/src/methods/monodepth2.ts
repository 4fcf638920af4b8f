import { DEPTH_SPEC, monocularMethod } from '../depth/depth-method';
import {
  checkMonocular,
  DEPTH_DEFAULTS,
  depthIdentity,
  MONOCULAR_OPTIONS,
  type MonocularOptions,
} from '../depth/depth-options';
import type { SequenceData } from '../depth/geometry-data';
import type { MethodSpec } from '../method/method-spec';
import { invalid } from './representation/representation-options';

/** Monodepth2's options: the shared depth and monocular options. */
export interface Monodepth2Options extends MonocularOptions {
  readonly name: 'monodepth2';
  /** Auto-masking of pixels an unwarped source explains better (false: the plain per-pixel minimum, the paper's ablation). */
  readonly automask: boolean;
}

/**
 * Monodepth2 (monocular video): per-pixel minimum reprojection over the two neighbouring frames,
 * auto-masking of pixels the unwarped frames already explain (with a keyed tie-break), full-resolution
 * multi-scale, smoothness on mean-normalised disparity; a batch-normalised poseNet (the original's pose
 * encoder is a ResNet-18).
 *
 * @see Godard et al. 2019, "Digging Into Self-Supervised Monocular Depth Estimation"
 */
export const monodepth2: MethodSpec<Monodepth2Options, SequenceData> = {
  ...DEPTH_SPEC,
  name: 'monodepth2',
  summary: 'Monodepth2: depth and pose from video, minimum reprojection and auto-masking',
  paper: 'Godard et al. 2019, Digging Into Self-Supervised Monocular Depth Estimation',
  data: 'frame-triplets',
  // Measured on two shared cores (tensorflow backend, 64x192, batch 4, pool of 64 scenes, seed 0, 300
  // steps, about 5 CPU minutes): abs_rel 0.356, a1 0.454, against 0.427 / 0.342 for constant depth and
  // 0.481 / 0.398 for SfMLearner; without the auto-mask 0.338 / 0.482 (this static-scene video has no
  // static frames or objects moving with the camera for the mask to remove).
  defaults: { ...DEPTH_DEFAULTS, steps: 500 },
  // Monodepth2's pose encoder is a batch-normalised ResNet-18. Without batch normalisation, SfMLearner's
  // PoseCNN with the 0.01 output scale grows its translation far more slowly than the depth head can
  // shrink depth, so within a few hundred steps the disparity ran to the sigmoid's top (depth pinned at
  // minDepth, flat) and training stalled at the constant-depth solution.
  options: {
    ...MONOCULAR_OPTIONS,
    poseNet: { ...MONOCULAR_OPTIONS.poseNet, batchNorm: true },
    automask: true,
  },
  validate(config) {
    checkMonocular(config);
    if (typeof config.method.automask !== 'boolean')
      invalid('method.automask', 'true or false', config.method.automask);
  },
  identity: depthIdentity,
  create: async ({ config, data, key }) =>
    monocularMethod(config, key, data, config.method.automask ? 'min-automask' : 'min'),
};
