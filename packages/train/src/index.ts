export { type Checkpoint, loadCheckpoint, type SavedArray, saveCheckpoint } from './checkpoint/checkpoint';
export {
  defaultTrainConfig,
  type EncoderConfig,
  METHOD_NAMES,
  type MethodName,
  resolveTrainConfig,
  stepsOf,
  type TrainConfig,
  type TrainConfigOverrides,
} from './config/train-config';
export {
  constantDepthBaseline,
  evaluateGeometry,
  GEOMETRY_EVAL_SEED,
  type GeometryEvalSet,
  geometryEvalSet,
  geometryMetricOptions,
  predictDepth,
  predictDisparity,
} from './geometry/evaluate-geometry';
export {
  defaultGeometryConfig,
  GEOMETRY_METHOD_NAMES,
  type GeometryConfig,
  type GeometryConfigOverrides,
  type GeometryMethodName,
  resolveGeometryConfig,
  type StereoConsistency,
} from './geometry/geometry-config';
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
} from './geometry/geometry-data';
export {
  downsampleImage,
  type GeometryLoss,
  type MonocularLossOptions,
  monocularLoss,
  type StereoLossOptions,
  stereoLoss,
  upsampleTo,
} from './geometry/geometry-losses';
export { buildGeometryModels, type GeometryModels } from './geometry/geometry-models';
export {
  type GeometryStepEvent,
  geometryLearningRate,
  type TrainGeometryOptions,
  type TrainGeometryResult,
  trainGeometry,
} from './geometry/train-geometry';
export { runKeys, type StepEvent, type TrainOptions, type TrainResult, train } from './loop/train';
export { buildEncoder, featureDim } from './methods/build-encoder';
export { byol } from './methods/byol';
export { createMethod } from './methods/create-method';
export type { ExtraState, MethodContext, NamedModel, TrainingMethod } from './methods/method';
export { moco } from './methods/moco';
export { simclr } from './methods/simclr';
export { appendMetrics, readMetrics, truncateMetrics } from './metrics/metrics-log';
export { type WarmupCosineOptions, warmupCosine } from './schedule/warmup-cosine';
