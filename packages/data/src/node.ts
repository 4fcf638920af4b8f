// @genoise/data/node: the loaders that read files through Node (node:fs, node:path, the optional
// `sharp` decoder, the `mnist` and `fashion-mnist` packages' files). The main entry stays browser-safe.
export { loadFashionMnist } from './embedded/load-fashion-mnist';
export { loadMnist } from './embedded/load-mnist';
export {
  type FrameSequencesDataset,
  type FrameSequencesOptions,
  type FrameTriplet,
  loadFrameSequences,
} from './folder/load-frame-sequences';
export {
  type ImageFolderDataset,
  type ImageFolderOptions,
  loadImageFolder,
} from './folder/load-image-folder';
export {
  loadStereoFolder,
  type StereoFolderDataset,
  type StereoFolderOptions,
} from './folder/load-stereo-folder';
export type { GeometryFolderOptions } from './internal/geometry-folder';
