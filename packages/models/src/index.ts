export { type CodeDecoderOptions, codeDecoder } from './decoders/code-decoder';
export { type DenseDecoderOptions, denseDecoder } from './decoders/dense-decoder';
export { cloneModel } from './ema/clone-model';
export { cosineMomentum } from './ema/cosine-momentum';
export { emaUpdate } from './ema/ema-update';
export { encoderStages } from './encoders/encoder-stages';
export { type ResNet18Options, resnet18 } from './encoders/resnet18';
export { type Downsampling, type SmallConvNetOptions, smallConvNet } from './encoders/small-conv-net';
export { withInputShape } from './encoders/with-input-shape';
export {
  type KerasExport,
  type KerasExportManifest,
  type KerasModelConfig,
  type KerasWeight,
  type ToKerasOptions,
  toKeras,
} from './export/to-keras';
export { type CostVolumeOptions, costVolume } from './flow/cost-volume';
export {
  type FlowNet,
  type FlowNetApplyOptions,
  type FlowNetModel,
  type FlowNetOptions,
  flowNet,
} from './flow/flow-net';
export {
  type SceneFlowEstimate,
  type SceneFlowNet,
  type SceneFlowNetApplyOptions,
  type SceneFlowNetOptions,
  sceneFlowNet,
} from './flow/scene-flow-net';
export {
  type DepthEncoder,
  type DepthNetOptions,
  type DepthOutputs,
  depthNet,
} from './geometry/depth-net';
export {
  type DisparityToDepthOptions,
  type DisparityToDepthResult,
  disparityToDepth,
} from './geometry/disparity-to-depth';
export { type PoseNetOptions, poseNet } from './geometry/pose-net';
export { type PredictionHeadOptions, predictionHead } from './heads/prediction-head';
export { type ProjectionHeadOptions, projectionHead } from './heads/projection-head';
export { initializeWeights } from './init/initialize-weights';
export { type LoadedModel, loadModel } from './io/load-model';
export type { ModelManifest } from './io/model-manifest';
export { type SaveModelOptions, saveModel } from './io/save-model';
export { BatchNorm, type BatchNormOptions } from './layers/batch-norm';
export { registerLayers } from './layers/register-layers';
export { trainableVariables } from './training/trainable-variables';
