export { type DepthMetrics, type DepthMetricsOptions, depthMetrics } from './depth/depth-metrics';
export { type ExtractFeaturesOptions, extractFeatures } from './features/extract-features';
export { type StandardizedFeatures, standardize } from './features/standardize';
export type { Labels } from './internal/validate';
export { type WeightedKnnOptions, type WeightedKnnResult, weightedKnn } from './knn/weighted-knn';
export { accuracy } from './metrics/accuracy';
export { confusionMatrix } from './metrics/confusion-matrix';
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
