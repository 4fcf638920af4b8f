import type { Key } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { applyLayer, denseBnRelu } from './blocks';

/** `(layers - 1) x [Dense(hidden)-BN?-ReLU]` then `Dense(output)` with bias: `[B, inputDim] -> [B, outputDim]`. */
export function mlp(o: {
  name: string;
  inputDim: number;
  hiddenDim: number;
  outputDim: number;
  layers: number;
  batchNorm: boolean;
  batchNormMomentum: number;
  key: Key;
}): tfl.LayersModel {
  const input = tfl.input({ shape: [o.inputDim], name: `${o.name}_input` });
  let x = input;
  for (let i = 0; i < o.layers - 1; i++) {
    x = denseBnRelu(x, {
      name: `${o.name}_hidden${i + 1}`,
      units: o.hiddenDim,
      batchNorm: o.batchNorm,
      batchNormMomentum: o.batchNormMomentum,
      relu: true,
    });
  }
  const output = applyLayer(
    tfl.layers.dense({ name: `${o.name}_output`, units: o.outputDim, kernelInitializer: 'zeros' }),
    x,
  );
  return initializeWeights(tfl.model({ inputs: input, outputs: output, name: o.name }), o.key);
}
