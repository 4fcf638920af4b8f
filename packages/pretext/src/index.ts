export { type ClassificationLossOptions, classificationLoss } from './classification/classification-loss';
export {
  type Corruption,
  type DenoisingTask,
  type DenoisingTaskOptions,
  denoisingTask,
} from './denoising/denoising-task';
export {
  type ReconstructionCrossEntropyOptions,
  type ReconstructionMSEOptions,
  reconstructionCrossEntropy,
  reconstructionMSE,
} from './denoising/reconstruction-losses';
export { type InpaintingLossOptions, inpaintingLoss } from './inpainting/inpainting-loss';
export {
  type InpaintingTask,
  type InpaintingTaskOptions,
  inpaintingTask,
} from './inpainting/inpainting-task';
export { assembleTiles } from './jigsaw/assemble-tiles';
export { type JigsawNetworkOptions, jigsawNetwork } from './jigsaw/jigsaw-network';
export {
  type JigsawPermutationSet,
  type JigsawPermutationsOptions,
  jigsawPermutations,
} from './jigsaw/jigsaw-permutations';
export { type JigsawTask, type JigsawTaskOptions, jigsawTask } from './jigsaw/jigsaw-task';
export {
  type RelativeLocationNetworkOptions,
  relativeLocationNetwork,
} from './relative-location/relative-location-network';
export {
  NEIGHBOURS,
  type RelativeLocationTask,
  type RelativeLocationTaskOptions,
  relativeLocationTask,
} from './relative-location/relative-location-task';
export { rotate90 } from './rotation/rotate90';
export { type RotationNetworkOptions, rotationNetwork } from './rotation/rotation-network';
export { type RotationTask, type RotationTaskOptions, rotationTask } from './rotation/rotation-task';
