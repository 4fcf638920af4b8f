import { ArgumentError } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture, recordedArchitecture } from '../internal/architecture';
import { registerLayers } from '../layers/register-layers';

/**
 * A new model with the same architecture (rebuilt from `model.toJSON()`, so any tfjs-layers model
 * works, genoise's `BatchNorm` included) and a copy of every weight, trainable and moving statistics:
 * the starting point of a MoCo key encoder or a BYOL target network. Later updates to either model do
 * not affect the other.
 *
 * @param model - a built `tf.LayersModel`
 * @returns a promise of the copy (tfjs-layers' deserialization is asynchronous)
 * @throws ArgumentError when `model` is not a LayersModel
 * @example
 * ```ts
 * const online = smallConvNet({ inputShape: [28, 28, 1], key: createKey(0) });
 * const target = await cloneModel(online); // same outputs as online until they diverge
 * ```
 * @see Grill et al., BYOL, https://arxiv.org/abs/2006.07733
 */
export async function cloneModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  if (!(model instanceof tfl.LayersModel)) {
    throw new ArgumentError({
      op: 'cloneModel',
      argument: 'model',
      expected: 'a tf.LayersModel',
      actual: String(model),
    });
  }
  registerLayers();
  const topology = model.toJSON(null, false) as unknown as Record<string, unknown>;
  const copy = await tfl.models.modelFromJSON({ modelTopology: topology } as tfl.ModelAndWeightsConfig);
  copy.setWeights(model.getWeights());
  const architecture = recordedArchitecture(model);
  return architecture === undefined ? copy : recordArchitecture(copy, architecture);
}
