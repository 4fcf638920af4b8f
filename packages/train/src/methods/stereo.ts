import { DEPTH_SPEC, stereoMethod } from '../depth/depth-method';
import {
  checkDepth,
  DEPTH_DEFAULTS,
  DEPTH_OPTIONS,
  depthIdentity,
  type StereoOptions,
} from '../depth/depth-options';
import type { StereoData } from '../depth/geometry-data';
import type { MethodSpec } from '../method/method-spec';
import { invalid, numberOption } from './representation/representation-options';

/** The stereo method's options: the shared depth options and Monodepth's left-right terms. */
export interface StereoMethodOptions extends StereoOptions {
  readonly name: 'stereo';
}

/**
 * Monodepth (stereo): one depthNet predicts left and right disparities from the left image; each view is
 * reconstructed from the other (photometric SSIM 0.85 + L1), with edge-aware smoothness and, in the
 * `'lr'` variant, left-right disparity consistency; `consistency: 'naive' | 'no-lr' | 'lr'` reproduces the
 * paper's comparison of training schemes (fig. 3): `'naive'` synthesises only the right view by sampling
 * the left image (so it learns the right view's disparity), `'no-lr'` both views without consistency.
 *
 * @see Godard, Mac Aodha, Brostow 2017, "Unsupervised Monocular Depth Estimation with Left-Right Consistency"
 */
export const stereo: MethodSpec<StereoMethodOptions, StereoData> = {
  ...DEPTH_SPEC,
  name: 'stereo',
  summary: 'Monodepth: depth from rectified stereo pairs, left-right consistency',
  paper: 'Godard et al. 2017, Unsupervised Monocular Depth Estimation with Left-Right Consistency',
  data: 'stereo-pairs',
  // Measured on two shared cores (wasm, 64x192, batch 4): 400 steps took 7.7 CPU minutes and reached
  // abs_rel 0.282 vs 0.426 for the constant-depth baseline.
  // On the synthetic pairs the true disparity is 0.009-0.078 of the width (median 0.028), so the head's
  // initial 0.15 (half of maxDisparity 0.3) is 5x too large: at 300 steps (tensorflow, pool of 64) the
  // 'naive' and 'no-lr' variants overshot to the sigmoid's floor (99% of pixels saturated, abs_rel 0.90);
  // with --max-disparity 0.1 none collapsed: abs_rel / a1 naive 0.287 / 0.501, no-lr 0.272 / 0.520,
  // lr 0.273 / 0.528 (constant depth 0.426 / 0.328).
  defaults: { ...DEPTH_DEFAULTS, steps: 400 },
  options: { ...DEPTH_OPTIONS, smoothness: 0.1, consistency: 'lr', leftRightWeight: 1, maxDisparity: 0.3 },
  validate(config) {
    checkDepth(config);
    const m = config.method;
    if (!['naive', 'no-lr', 'lr'].includes(m.consistency))
      invalid('method.consistency', "'naive' | 'no-lr' | 'lr'", m.consistency);
    numberOption(m.leftRightWeight, 'method.leftRightWeight', 0);
    numberOption(m.maxDisparity, 'method.maxDisparity', Number.MIN_VALUE, 1, true);
  },
  identity: (options) => [depthIdentity(options), options.maxDisparity],
  create: async ({ config, data, key }) => stereoMethod(config, key, data),
};
