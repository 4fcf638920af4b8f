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

/** SfMLearner's options: the shared depth and monocular options. */
export interface SfmlearnerOptions extends MonocularOptions {
  readonly name: 'sfmlearner';
}

/**
 * SfMLearner (the monocular baseline): mean reprojection over the two neighbouring frames, no mask.
 *
 * @see Zhou et al. 2017, "Unsupervised Learning of Depth and Ego-Motion from Video"
 */
export const sfmlearner: MethodSpec<SfmlearnerOptions, SequenceData> = {
  ...DEPTH_SPEC,
  name: 'sfmlearner',
  summary: 'SfMLearner: depth and pose from video, mean reprojection (baseline)',
  paper: 'Zhou et al. 2017, Unsupervised Learning of Depth and Ego-Motion from Video',
  data: 'frame-triplets',
  defaults: { ...DEPTH_DEFAULTS, steps: 500 },
  options: MONOCULAR_OPTIONS,
  validate: checkMonocular,
  identity: depthIdentity,
  create: async ({ config, data, key }) => monocularMethod(config, key, data, 'mean'),
};
