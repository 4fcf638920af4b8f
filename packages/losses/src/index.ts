export type { PixelReduced, Reduced, Reduction } from './common/reduction';
export {
  type LeftRightConsistencyOptions,
  leftRightConsistency,
} from './consistency/left-right-consistency';
export { type InfoNCEOptions, infoNCE } from './contrastive/info-nce';
export { infoNCEBound } from './contrastive/info-nce-bound';
export { type MocoLossOptions, mocoLoss } from './contrastive/moco-loss';
export { type NTXentOptions, ntXent } from './contrastive/nt-xent';
export { type MultiScaleOptions, multiScale, type ScaleLoss } from './multi-scale/multi-scale';
export { type BarlowTwinsOptions, barlowTwinsLoss } from './non-contrastive/barlow-twins-loss';
export { byolLoss } from './non-contrastive/byol-loss';
export { type CosineLossOptions, negativeCosine } from './non-contrastive/negative-cosine';
export { simsiamLoss } from './non-contrastive/simsiam-loss';
export {
  type VICRegOptions,
  type VICRegTermOptions,
  type VICRegTerms,
  vicregLoss,
  vicregTerms,
} from './non-contrastive/vicreg-loss';
export { type CharbonnierOptions, type CharbonnierResult, charbonnier } from './penalty/charbonnier';
export { type CensusLossOptions, censusLoss } from './photometric/census-loss';
export {
  type MinReprojectionOptions,
  type MinReprojectionResult,
  minReprojection,
} from './photometric/min-reprojection';
export { type PhotometricLossOptions, photometricLoss } from './photometric/photometric-loss';
export { type SSIMOptions, type SSIMOutput, type SSIMResult, ssim } from './photometric/ssim';
export { type SSIMLossOptions, ssimLoss } from './photometric/ssim-loss';
export { MemoryQueue, type MemoryQueueOptions, type MemoryQueueState } from './queue/memory-queue';
export {
  type EdgeAwareSmoothnessOptions,
  edgeAwareSmoothness,
} from './smoothness/edge-aware-smoothness';
