export { backproject } from './camera/backproject';
export { invertIntrinsics } from './camera/invert-intrinsics';
export { type Projection, type ProjectOptions, project } from './camera/project';
export { type ScaleIntrinsicsOptions, scaleIntrinsics } from './camera/scale-intrinsics';
export { type FlowWarpOptions, flowWarp } from './flow/flow-warp';
export {
  type ForwardBackwardOcclusionOptions,
  forwardBackwardOcclusion,
} from './flow/forward-backward-occlusion';
export type { Padding } from './internal/checks';
export type { WarpResult } from './internal/warp';
export { axisAngleToMatrix } from './pose/axis-angle-to-matrix';
export { eulerToMatrix } from './pose/euler-to-matrix';
export { invertRigid } from './pose/invert-rigid';
export { type PoseVecToMatrixOptions, poseVecToMatrix } from './pose/pose-vec-to-matrix';
export { transformPoints } from './pose/transform-points';
export { type BilinearSampleOptions, bilinearSample } from './sampler/bilinear-sample';
export { meshgrid } from './sampler/meshgrid';
export {
  fromNormalizedCoords,
  type NormalizedCoordsOptions,
  toNormalizedCoords,
} from './sampler/normalized-coords';
export {
  type DisparityToPixelsOptions,
  type DisparityWarpOptions,
  disparityToPixels,
  disparityWarp,
} from './warp/disparity-warp';
export { type InverseWarpOptions, inverseWarp } from './warp/inverse-warp';
export { type SceneFlowWarpOptions, sceneFlowWarp } from './warp/scene-flow-warp';
