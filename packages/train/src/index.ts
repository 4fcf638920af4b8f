export type { Checkpoint, SavedArray } from './checkpoint/checkpoint-types';
export { type CheckpointData, memoryRunStore, type RunStore } from './checkpoint/run-store';
export { type CheckpointedMethod, restore, snapshot } from './checkpoint/snapshot';
export {
  defaultTrainConfig,
  type MethodOptions,
  resolveTrainConfig,
  runIdentity,
  SHARED_DEFAULTS,
  stepsOf,
  type TrainConfig,
  type TrainConfigOverrides,
  type TrainDefaults,
} from './config/train-config';
export { type DepthMethod, depthRunKeys } from './depth/depth-method';
export {
  type DepthOptions,
  type DepthSettings,
  depthSettings,
  type MonocularOptions,
  type StereoConsistency,
  type StereoOptions,
} from './depth/depth-options';
export { depthRunSettings } from './depth/depth-run-settings';
export {
  constantDepthBaseline,
  evaluateGeometry,
  GEOMETRY_EVAL_SEED,
  type GeometryEvalSet,
  geometryEvalSet,
  geometryMetricOptions,
  predictDepth,
  predictDisparity,
} from './depth/evaluate-geometry';
export {
  type GeometryData,
  geometryKeys,
  type SequenceData,
  type StereoData,
  type StereoExamples,
  sequenceFolderData,
  stereoFolderData,
  syntheticGeometryData,
  type TripletExamples,
} from './depth/geometry-data';
export {
  downsampleImage,
  type GeometryLoss,
  type MonocularLossOptions,
  monocularLoss,
  type StereoLossOptions,
  stereoLoss,
  upsampleTo,
} from './depth/geometry-losses';
export { buildGeometryModels, type GeometryModels } from './depth/geometry-models';
export { syntheticDepthData } from './depth/synthetic-depth-data';
export {
  checkFramePairData,
  type FlowDataSettings,
  type FramePairData,
  type FramePairExamples,
  flowDataSettings,
  flowPair,
  flowRunKeys,
  syntheticFlowData,
  syntheticFlowPairs,
} from './flow/flow-data';
export {
  evaluateFlow,
  FLOW_EVAL_SEED,
  type FlowEvalSet,
  type FlowEvaluation,
  type FlowPrediction,
  flowEvalSet,
  predictFlow,
  zeroFlowBaseline,
} from './flow/flow-evaluation';
export type { FlowAugmentSettings, FlowNetSettings } from './flow/flow-options';
export { photometricAugment } from './flow/photometric-augment';
export {
  forwardBackwardConsistency,
  inBoundsMask,
  secondOrderSmoothness,
  type UnflowLoss,
  type UnflowLossOptions,
  unflowLoss,
} from './flow/unflow-loss';
export {
  checkpointToResume,
  createMethod,
  type FitOptions,
  type FitResult,
  fit,
  keysOf,
  type StepEvent,
  stepIndices,
  train,
} from './loop/fit';
export { type StepLoss, type TrainState, trainStep } from './loop/train-step';
export type { ExtraState, Method, MethodContext, MethodData, MethodLoss, NamedModel } from './method/method';
export {
  type MethodDataKind,
  type MethodSpec,
  type MethodTask,
  type RunKeys,
  runKeys,
} from './method/method-spec';
export { METHODS, methodNames, methodSpec } from './method/registry';
export { type BarlowTwinsOptions, barlowTwins } from './methods/barlow-twins';
export { type ByolOptions, byol } from './methods/byol';
export { type ColorizationBatch, type ColorizationOptions, colorization } from './methods/colorization';
export { type DaeBatch, type DaeOptions, dae } from './methods/dae';
export { type InpaintingBatch, type InpaintingOptions, inpainting } from './methods/inpainting';
export { type JigsawBatch, type JigsawOptions, jigsaw } from './methods/jigsaw';
export { type MocoOptions, moco } from './methods/moco';
export { type Monodepth2Options, monodepth2 } from './methods/monodepth2';
export type { PretextOptions } from './methods/pretext/pretext-options';
export {
  type RelativeLocationBatch,
  type RelativeLocationOptions,
  relativeLocation,
} from './methods/relative-location';
export { buildEncoder, featureDim } from './methods/representation/backbone';
export type {
  EncoderConfig,
  RepresentationOptions,
  TwoViews,
  ViewOptions,
} from './methods/representation/representation-options';
export { type RotationBatch, type RotationOptions, rotation } from './methods/rotation';
export { type SceneflowMethodOptions, sceneflow } from './methods/sceneflow';
export { type SfmlearnerOptions, sfmlearner } from './methods/sfmlearner';
export { type SimclrOptions, simclr } from './methods/simclr';
export { type SimsiamOptions, simsiam } from './methods/simsiam';
export { type StereoMethodOptions, stereo } from './methods/stereo';
export { type FlowMethod, type UnflowBatch, type UnflowOptions, unflow } from './methods/unflow';
export { type VicregOptions, vicreg } from './methods/vicreg';
export {
  evaluateSceneFlow,
  predictSceneFlow,
  type SceneFlowPrediction,
  type SceneFlowPredictor,
  sceneFlowFields,
  staticScenePrediction,
} from './scene-flow/evaluate-scene-flow';
export {
  checkStereoVideoData,
  SCENE_FLOW_BASELINE,
  SCENE_FLOW_EVAL_SEED,
  type SceneFlowDataSettings,
  type SceneFlowEvalSet,
  type StereoVideoData,
  type StereoVideoExamples,
  sceneFlowEvalSet,
  sceneFlowKeys,
  syntheticStereoVideoData,
} from './scene-flow/scene-flow-data';
export {
  balanceLosses,
  depthFromDisparity,
  disocclusionMask,
  halvesMaskedMean,
  type SceneFlowGeometry,
  type SceneFlowLevel,
  type SceneFlowLevelTerms,
  type SceneFlowLossWeights,
  sceneFlowGeometry,
  sceneFlowLevelLoss,
  stereoInViewMask,
} from './scene-flow/scene-flow-losses';
export {
  buildSceneFlowNet,
  type SceneFlowMethod,
  sceneFlowLoss,
  sceneFlowMethod,
} from './scene-flow/scene-flow-method';
export {
  checkSceneFlow,
  SCENE_FLOW_DEFAULTS,
  SCENE_FLOW_OPTIONS,
  type SceneFlowOptions,
  sceneFlowIdentity,
} from './scene-flow/scene-flow-options';
export { learningRateAt } from './schedule/learning-rate';
export { type WarmupCosineOptions, warmupCosine } from './schedule/warmup-cosine';
export { type FineTuneData, type FineTuneOptions, fineTune, labelledSubset } from './transfer/fine-tune';
export {
  type FineTuneClassifierOptions,
  type FineTuneClassifierResult,
  fineTuneClassifier,
} from './transfer/fine-tune-classifier';
export {
  type FineTuneNormalsOptions,
  type FineTuneNormalsResult,
  fineTuneNormals,
  type NormalsData,
} from './transfer/fine-tune-normals';
