import type { MethodSpec } from '../method/method-spec';
import { type StereoVideoData, sceneFlowKeys } from '../scene-flow/scene-flow-data';
import { sceneFlowMethod } from '../scene-flow/scene-flow-method';
import {
  checkSceneFlow,
  SCENE_FLOW_DEFAULTS,
  SCENE_FLOW_OPTIONS,
  type SceneFlowOptions,
  sceneFlowIdentity,
} from '../scene-flow/scene-flow-options';

/** The scene-flow method's options (see {@link SceneFlowOptions}). */
export interface SceneflowMethodOptions extends SceneFlowOptions {
  readonly name: 'sceneflow';
}

/**
 * Self-supervised monocular scene flow (self-mono-sf): one sceneFlowNet predicts frame 1's disparity and
 * the 3-D motion of its points from two consecutive monocular frames; it trains on the stereo pairs of
 * both frames (disparity loss: left against the right warped by the disparity, second-order edge-aware
 * smoothness; scene-flow loss: frame 1 against frame 2 warped by the flow the scene flow induces, 3-D
 * point reconstruction `||dP|| / ||P||`, 3-D smoothness; disocclusion by forward splatting; level
 * weights; dynamic balance) and is evaluated on monocular input. See `scene-flow/scene-flow-method.ts`
 * for what is simplified for two CPU cores.
 *
 * @see Hur & Roth 2020, "Self-Supervised Monocular Scene Flow Estimation", CVPR
 */
export const sceneflow: MethodSpec<SceneflowMethodOptions, StereoVideoData> = {
  name: 'sceneflow',
  summary: 'self-mono-sf: disparity and 3-D scene flow from monocular video, trained on stereo video',
  paper: 'Hur & Roth 2020, Self-Supervised Monocular Scene Flow Estimation',
  task: 'scene-flow',
  data: 'stereo-video',
  defaults: { ...SCENE_FLOW_DEFAULTS, steps: 200 },
  // 1,500 steps: about 11 minutes alone on two cores; the 3-D motion needs them (at 200 it barely beats zero motion).
  budgets: { tensorflow: 1500 },
  options: SCENE_FLOW_OPTIONS,
  validate: checkSceneFlow,
  identity: sceneFlowIdentity,
  keys: (seed) => {
    const { initKey, orderKey, stepKey } = sceneFlowKeys(seed);
    return { initKey, orderKey, stepKey };
  },
  create: async ({ config, data, key }) => sceneFlowMethod(config, key, data),
};
