import { ArgumentError } from '@genoise/core';
import type { TrainConfig } from '../config/train-config';
import { methodSpec } from '../method/registry';
import { depthSettings } from './depth-options';
import { type GeometryData, syntheticGeometryData } from './geometry-data';

/**
 * Synthetic training data for a depth run: stereo pairs or frame triplets, whichever its method trains
 * on, rendered from the run's scene key at the method's size (see {@link syntheticGeometryData}).
 *
 * @throws ArgumentError when the method does not train on stereo pairs or frame triplets
 */
export function syntheticDepthData(config: TrainConfig): GeometryData {
  const kind = methodSpec(config.method.name).data;
  if (kind !== 'stereo' && kind !== 'sequence')
    throw new ArgumentError({
      op: 'syntheticDepthData',
      argument: 'config.method.name',
      expected: 'a method that trains on stereo pairs or frame triplets',
      actual: JSON.stringify(config.method.name),
    });
  return syntheticGeometryData(depthSettings(config, kind));
}
