export { type DepthMetrics, type DepthMetricsOptions, depthMetrics } from './depth/depth-metrics';
export { type ExtractFeaturesOptions, extractFeatures } from './features/extract-features';
export {
  type ExtractStageFeaturesOptions,
  extractStageFeatures,
  type StageFeatures,
  type StageImageSource,
  type StageModel,
} from './features/extract-stage-features';
export { type PoolStageOptions, poolGridSize, poolStage } from './features/pool-stage';
export { type StandardizedFeatures, standardize } from './features/standardize';
export { endPointError } from './flow/end-point-error';
export { type FlowMetrics, type FlowMetricsOptions, flowMetrics } from './flow/flow-metrics';
export { type FlowToColorOptions, flowToColor, middleburyColorWheel } from './flow/flow-to-color';
export { type MaskAgreement, type MaskAgreementOptions, maskAgreement } from './flow/mask-agreement';
export type { Labels } from './internal/validate';
export { type WeightedKnnOptions, type WeightedKnnResult, weightedKnn } from './knn/weighted-knn';
export { accuracy } from './metrics/accuracy';
export { confusionMatrix } from './metrics/confusion-matrix';
export { angularError } from './normals/angular-error';
export { type NormalMetrics, type NormalMetricsOptions, normalMetrics } from './normals/normal-metrics';
export {
  type LayerProbeRow,
  type LayerwiseProbesOptions,
  layerwiseProbes,
  type ProbeSplit,
  type ProbeStage,
} from './probe/layerwise-probes';
export { type LinearProbeOptions, type LinearProbeResult, linearProbe } from './probe/linear-probe';
export { type Pca2dOptions, pca2d } from './projection/pca2d';
export {
  type EvaluateRepresentationsOptions,
  evaluateRepresentations,
  KNN_K,
  knnTop1,
  type LabelledImages,
  probeLabels,
  type Representation,
  type RepresentationEvaluation,
  type RepresentationRow,
  rawPixels,
} from './protocol/evaluate-representations';
export { type RetrieveOptions, type RetrieveResult, retrieve } from './retrieval/retrieve';
export {
  type SceneFlowFields,
  type SceneFlowMetrics,
  type SceneFlowMetricsOptions,
  sceneFlowMetrics,
} from './scene-flow/scene-flow-metrics';
