export { type ClassificationLossOptions, classificationLoss } from './classification/classification-loss';
export { AB_BIN_COUNT, abBins } from './colorization/ab-bins';
export { type AnnealedMeanOptions, annealedMean } from './colorization/annealed-mean';
export {
  abHistogram,
  type RebalancingWeightsOptions,
  rebalancingWeights,
} from './colorization/class-rebalancing';
export { type ColorizationLossOptions, colorizationLoss } from './colorization/colorization-loss';
export {
  type ColorizationTask,
  type ColorizationTaskOptions,
  colorizationTask,
} from './colorization/colorization-task';
export { D65_WHITE, type LabToRgbOptions, labToRgb, rgbToLab, XYZ_FROM_RGB } from './colorization/lab';
export { type SoftEncodeAbOptions, softEncodeAb } from './colorization/soft-encode-ab';
export {
  type ConvAutoencoder,
  type ConvAutoencoderOptions,
  convAutoencoder,
} from './denoising/conv-autoencoder';
export {
  type DenseAutoencoder,
  type DenseAutoencoderOptions,
  denseAutoencoder,
} from './denoising/denoising-autoencoder';
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
export { TiedDense, type TiedDenseOptions } from './denoising/tied-dense';
export {
  type AdversarialLosses,
  adversarialLosses,
  type ContextDiscriminatorOptions,
  contextDiscriminator,
} from './inpainting/adversarial';
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
