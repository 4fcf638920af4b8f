export { type Batch, type BatchesOptions, batches, stepsPerEpoch } from './batching/batches';
export type { Dataset, LoadReport } from './dataset/dataset';
export { subset } from './dataset/subset';
export { take } from './dataset/take';
export { type Uint8Dataset, type Uint8DatasetOptions, uint8Dataset } from './dataset/uint8-dataset';
export {
  EMBEDDED_SPLIT_SEED,
  type EmbeddedDataset,
  type EmbeddedOptions,
  type EmbeddedSplit,
} from './embedded/embedded-dataset';
export { FASHION_MNIST_CLASS_NAMES, loadFashionMnist } from './embedded/load-fashion-mnist';
export { loadMnist, MNIST_CLASS_NAMES } from './embedded/load-mnist';
export {
  type ImageFolderDataset,
  type ImageFolderOptions,
  loadImageFolder,
} from './folder/load-image-folder';
