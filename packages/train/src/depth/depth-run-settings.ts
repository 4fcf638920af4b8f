import { ArgumentError } from '@genoise/core';
import type { TrainConfig } from '../config/train-config';
import { methodSpec } from '../method/registry';
import { type DepthSettings, depthSettings } from './depth-options';

/**
 * The depth helpers' view of a run ({@link depthSettings}), with the data kind its method trains on read
 * from the registry (`methodSpec(config.method.name).data`): `'stereo-pairs'` or `'frame-triplets'`.
 *
 * @param op - the operation named in the error
 * @throws ArgumentError when the method does not train on stereo pairs or frame triplets
 */
export function depthRunSettings(config: TrainConfig, op = 'depthRunSettings'): DepthSettings {
  const kind = methodSpec(config.method.name).data;
  if (kind !== 'stereo-pairs' && kind !== 'frame-triplets')
    throw new ArgumentError({
      op,
      argument: 'config.method.name',
      expected: 'a method that trains on stereo pairs or frame triplets',
      actual: JSON.stringify(config.method.name),
    });
  return depthSettings(config, kind);
}
