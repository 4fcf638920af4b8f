export { type BilinearSampleOptions, bilinearSample } from './sampler/bilinear-sample';
export { meshgrid } from './sampler/meshgrid';
export {
  fromNormalizedCoords,
  type NormalizedCoordsOptions,
  toNormalizedCoords,
} from './sampler/normalized-coords';
