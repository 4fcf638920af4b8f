export type { Reduced, Reduction } from './common/reduction';
export { type InfoNCEOptions, infoNCE } from './contrastive/info-nce';
export { infoNCEBound } from './contrastive/info-nce-bound';
export { type MocoLossOptions, mocoLoss } from './contrastive/moco-loss';
export { type NTXentOptions, ntXent } from './contrastive/nt-xent';
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
export { MemoryQueue, type MemoryQueueOptions, type MemoryQueueState } from './queue/memory-queue';
