import { checkInteger, checkKey, checkNumber, type Key, keyToString } from '@genoise/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture } from '../internal/architecture';
import { mlp } from '../internal/mlp';

import { registerLayers } from '../layers/register-layers';

/** Options of {@link predictionHead}. */
export interface PredictionHeadOptions {
  /** Size of the projection it reads, `[B, inputDim]`. Required. */
  readonly inputDim: number;
  /** Hidden width. Default 512. */
  readonly hiddenDim?: number;
  /** Output size; equal to the target projection's size. Default 128. */
  readonly outputDim?: number;
  /** Moving-average momentum of the batch-norm statistics. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'prediction_head'`. */
  readonly name?: string;
}

const OP = 'predictionHead';

/**
 * The predictor `q` of BYOL and SimSiam, applied to the online projection only:
 * `q(z) = W_2 relu(BN(W_1 z)) + b_2`, `[B, inputDim] -> [B, outputDim]`.
 *
 * Parameters: `inputDim * hidden + 4 * hidden + hidden * outputDim + outputDim`.
 *
 * @param options - see {@link PredictionHeadOptions}
 * @returns a `tf.LayersModel` mapping `[B, inputDim]` to `[B, outputDim]`
 * @throws ArgumentError naming the option (`inputDim`, `hiddenDim`, `outputDim`, `batchNormMomentum`,
 *   `key`) when it is missing or out of range
 * @example
 * ```ts
 * const predictor = predictionHead({ inputDim: 128, key: createKey(2) });
 * const p = predictor.predict(tf.zeros([4, 128])) as tf.Tensor; // [4, 128]
 * ```
 * @see Grill et al., "Bootstrap Your Own Latent" (BYOL), NeurIPS 2020, https://arxiv.org/abs/2006.07733
 */
export function predictionHead(options: PredictionHeadOptions): tfl.LayersModel {
  const {
    inputDim,
    hiddenDim = 512,
    outputDim = 128,
    batchNormMomentum = 0.9,
    key,
    name = 'prediction_head',
  } = options ?? ({} as PredictionHeadOptions);
  checkInteger(inputDim, { op: OP, arg: 'inputDim', min: 1 });
  checkInteger(hiddenDim, { op: OP, arg: 'hiddenDim', min: 1 });
  checkInteger(outputDim, { op: OP, arg: 'outputDim', min: 1 });
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();
  const model = mlp({
    name,
    inputDim,
    hiddenDim,
    outputDim,
    layers: 2,
    batchNorm: true,
    batchNormMomentum,
    key,
  });
  return recordArchitecture(model, {
    name: OP,
    options: { inputDim, hiddenDim, outputDim, batchNormMomentum, key: keyToString(key), name },
  });
}
