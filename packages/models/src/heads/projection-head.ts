import { checkBoolean, checkInteger, checkKey, checkNumber, type Key, keyToString } from '@genoise/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture } from '../internal/architecture';
import { mlp } from '../internal/mlp';

import { registerLayers } from '../layers/register-layers';

/** Options of {@link projectionHead}. */
export interface ProjectionHeadOptions {
  /** Feature size D of the encoder output `[B, D]`. Required. */
  readonly inputDim: number;
  /** Width of the hidden layers. Default 512. */
  readonly hiddenDim?: number;
  /** Size of the projection `z`. Default 128 (SimCLR). */
  readonly outputDim?: number;
  /** Number of Dense layers, the last one linear: 1 is a linear projection. Default 2 (SimCLR, BYOL). */
  readonly layers?: number;
  /** BN after each hidden Dense (which then has no bias). Default true. */
  readonly batchNorm?: boolean;
  /** Moving-average momentum of the batch-norm statistics. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'projection_head'`. */
  readonly name?: string;
}

const OP = 'projectionHead';

/**
 * The projection MLP `g` of SimCLR / BYOL / MoCo v2: `(layers - 1) x [Dense(hiddenDim)-BN-ReLU]`, then
 * `Dense(outputDim)` with bias: `z = W_L relu(BN(W_{L-1} ... relu(BN(W_1 h))))`, `[B, inputDim] -> [B, outputDim]`.
 *
 * Parameters (BN on): `inputDim * hidden + 4 * hidden` for the first hidden layer, `hidden^2 + 4 hidden`
 * for each further one, `hidden * outputDim + outputDim` for the output (with `layers = 1`:
 * `inputDim * outputDim + outputDim`).
 *
 * @param options - see {@link ProjectionHeadOptions}
 * @returns a `tf.LayersModel` mapping `[B, inputDim]` to `[B, outputDim]`
 * @throws ArgumentError naming the option (`inputDim`, `hiddenDim`, `outputDim`, `layers`, `batchNorm`,
 *   `batchNormMomentum`, `key`) when it is missing or out of range
 * @example
 * ```ts
 * const head = projectionHead({ inputDim: 128, key: createKey(1) });
 * const z = head.predict(tf.zeros([4, 128])) as tf.Tensor; // [4, 128]
 * ```
 * @see Chen et al., "Big Self-Supervised Models are Strong Semi-Supervised Learners" (SimCLR v2),
 *   NeurIPS 2020, https://arxiv.org/abs/2006.10029
 */
export function projectionHead(options: ProjectionHeadOptions): tfl.LayersModel {
  const {
    inputDim,
    hiddenDim = 512,
    outputDim = 128,
    layers = 2,
    batchNorm = true,
    batchNormMomentum = 0.9,
    key,
    name = 'projection_head',
  } = options ?? ({} as ProjectionHeadOptions);
  checkInteger(inputDim, { op: OP, arg: 'inputDim', min: 1 });
  checkInteger(hiddenDim, { op: OP, arg: 'hiddenDim', min: 1 });
  checkInteger(outputDim, { op: OP, arg: 'outputDim', min: 1 });
  checkInteger(layers, { op: OP, arg: 'layers', min: 1 });
  checkBoolean(batchNorm, { op: OP, arg: 'batchNorm' });
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();
  const model = mlp({ name, inputDim, hiddenDim, outputDim, layers, batchNorm, batchNormMomentum, key });
  return recordArchitecture(model, {
    name: OP,
    options: {
      inputDim,
      hiddenDim,
      outputDim,
      layers,
      batchNorm,
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
