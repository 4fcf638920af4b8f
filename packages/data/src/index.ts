export { type Batch, type BatchesOptions, batches, stepsPerEpoch } from './batching/batches';
export type { Dataset, LoadReport } from './dataset/dataset';
export { subset } from './dataset/subset';
export { take } from './dataset/take';
export { type Uint8Dataset, type Uint8DatasetOptions, uint8Dataset } from './dataset/uint8-dataset';
export { FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES } from './embedded/class-names';
export {
  EMBEDDED_SPLIT_SEED,
  type EmbeddedDataset,
  type EmbeddedOptions,
  type EmbeddedSplit,
} from './embedded/embedded-dataset';
export {
  INTRINSICS_FILE_NAMES,
  type Intrinsics,
  parseIntrinsics,
  scaleIntrinsics,
} from './folder/parse-intrinsics';
export {
  type FlyingShapesOptions,
  type FlyingShapesPair,
  flyingShapes,
  type ShapeMotion,
} from './synthetic/flying-shapes';
export { intrinsicsFromFov } from './synthetic/intrinsics-from-fov';
export { relativePose } from './synthetic/relative-pose';
export { MISS_DEPTH, type Rendering, type RenderOptions, renderScene } from './synthetic/render-scene';
export {
  type SyntheticFlow,
  type SyntheticFlowBatch,
  type SyntheticFlowBatchOptions,
  type SyntheticFlowOptions,
  syntheticFlow,
  syntheticFlowBatch,
} from './synthetic/synthetic-flow';
export {
  type SyntheticNormals,
  type SyntheticNormalsBatch,
  type SyntheticNormalsBatchOptions,
  type SyntheticNormalsOptions,
  type SyntheticNormalsSet,
  type SyntheticNormalsSetOptions,
  syntheticNormals,
  syntheticNormalsBatch,
  syntheticNormalsSet,
} from './synthetic/synthetic-normals';
export {
  type SyntheticObjectClass,
  type SyntheticObjectsDataset,
  type SyntheticObjectsOptions,
  syntheticObjects,
} from './synthetic/synthetic-objects';
export type { SyntheticViewOptions } from './synthetic/synthetic-options';
export {
  type BoxSurface,
  type PlaneSurface,
  type SceneSurface,
  type SphereSurface,
  type SurfaceTexture,
  type SyntheticScene,
  type SyntheticSceneOptions,
  syntheticScene,
} from './synthetic/synthetic-scene';
export {
  type SyntheticSceneFlow,
  type SyntheticSceneFlowBatch,
  type SyntheticSceneFlowBatchOptions,
  type SyntheticSceneFlowOptions,
  syntheticSceneFlow,
  syntheticSceneFlowBatch,
} from './synthetic/synthetic-scene-flow';
export {
  type SyntheticSequence,
  type SyntheticSequenceBatch,
  type SyntheticSequenceBatchOptions,
  type SyntheticSequenceOptions,
  syntheticSequence,
  syntheticSequenceBatch,
} from './synthetic/synthetic-sequence';
export {
  type SyntheticStereo,
  type SyntheticStereoBatch,
  type SyntheticStereoBatchOptions,
  type SyntheticStereoOptions,
  syntheticStereo,
  syntheticStereoBatch,
} from './synthetic/synthetic-stereo';
