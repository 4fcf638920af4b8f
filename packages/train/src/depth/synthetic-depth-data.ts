import type { TrainConfig } from '../config/train-config';
import { depthRunSettings } from './depth-run-settings';
import { type GeometryData, syntheticGeometryData } from './geometry-data';

/**
 * Synthetic training data for a depth run: stereo pairs or frame triplets, whichever its method trains
 * on, rendered from the run's scene key at the method's size (see {@link syntheticGeometryData}).
 *
 * @throws ArgumentError when the method does not train on stereo pairs or frame triplets
 */
export function syntheticDepthData(config: TrainConfig): GeometryData {
  return syntheticGeometryData(depthRunSettings(config, 'syntheticDepthData'));
}
