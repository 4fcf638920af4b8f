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
export { runKeys, type StepEvent, type TrainOptions, type TrainResult, train } from './loop/train';
export { buildEncoder, featureDim } from './methods/build-encoder';
export { byol } from './methods/byol';
export { createMethod } from './methods/create-method';
export type { ExtraState, MethodContext, NamedModel, TrainingMethod } from './methods/method';
export { moco } from './methods/moco';
export { simclr } from './methods/simclr';
export { appendMetrics, readMetrics, truncateMetrics } from './metrics/metrics-log';
export { type WarmupCosineOptions, warmupCosine } from './schedule/warmup-cosine';
