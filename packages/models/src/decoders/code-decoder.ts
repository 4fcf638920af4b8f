import { checkInteger, checkKey, checkNumber, type Key, keyToString } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { recordArchitecture } from '../internal/architecture';
import { applyLayer, convBnRelu, denseBnRelu, type Node } from '../internal/blocks';
import { Resize } from '../internal/resize-layer';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';

/** Options of {@link codeDecoder}. */
export interface CodeDecoderOptions {
  /** Length D of the code `[B, D]` (an encoder's pooled feature). Required. */
  readonly codeDim: number;
  /** Output size `[H, W, C]`. Required. */
  readonly outputShape: readonly [number, number, number];
  /**
   * Channels of the L decoder levels, coarsest first: level 0 is the dense layer's map at
   * `ceil(H / 2^L) x ceil(W / 2^L)`, level i at `ceil(H / 2^(L-i))`. Default `[64, 32, 16]`.
   */
  readonly widths?: readonly number[];
  /** Moving-average momentum of the batch-norm statistics. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'code_decoder'`. */
  readonly name?: string;
}

const OP = 'codeDecoder';

/**
 * A decoder from a code vector back to an image's logits, for bottleneck autoencoders (the denoising
 * autoencoder, the context encoder's channel-wise bottleneck):
 * `[B, D] -> dense-BN-ReLU -> reshape [h_0, w_0, widths[0]] -> (bilinear up, conv3x3-BN-ReLU) x (L-1)
 * -> bilinear up to [H, W] -> conv3x3 -> [B, H, W, C]`, with `h_0 = ceil(H / 2^L)`, the map doubling
 * (rounded up) per level and the last resize landing exactly on `[H, W]` (7 -> 14 -> 28, or 4 -> 7
 * -> 14 -> 28). The output has no activation: logits for a sigmoid cross-entropy against [0, 1]
 * pixels, or values for MSE.
 *
 * Parameters: `D h_0 w_0 widths[0] + 4 h_0 w_0 widths[0]` (dense, no bias, BN), `9 widths[i-1] widths[i]
 * + 4 widths[i]` per level i >= 1, and `9 widths[L-1] C + C` for the output conv.
 *
 * @param options - see {@link CodeDecoderOptions}
 * @returns a `tf.LayersModel` `[B, D] -> [B, H, W, C]`
 * @throws ArgumentError naming the option (`codeDim`, `outputShape`, `widths`, `batchNormMomentum`,
 *   `key`) when it is missing or out of range
 * @example
 * ```ts
 * const decoder = codeDecoder({ codeDim: 128, outputShape: [28, 28, 1], key: createKey(2) });
 * const logits = decoder.apply(encoder.apply(noisy, { training: true }), { training: true }) as tf.Tensor; // [B,28,28,1]
 * ```
 * @see Vincent et al., "Extracting and Composing Robust Features with Denoising Autoencoders", ICML 2008;
 *   Pathak et al., "Context Encoders", CVPR 2016, https://arxiv.org/abs/1604.07379
 */
export function codeDecoder(options: CodeDecoderOptions): tfl.LayersModel {
  const {
    codeDim,
    outputShape,
    widths = [64, 32, 16],
    batchNormMomentum = 0.9,
    key,
    name = 'code_decoder',
  } = options ?? ({} as CodeDecoderOptions);
  checkInteger(codeDim, { op: OP, arg: 'codeDim', min: 1 });
  checkDimensions(outputShape, OP, 'outputShape', 3);
  checkDimensions(widths, OP, 'widths');
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();

  const [height, width, channels] = outputShape;
  const levels = widths.length;
  const size = (i: number): [number, number] => [
    Math.ceil(height / 2 ** (levels - i)),
    Math.ceil(width / 2 ** (levels - i)),
  ];
  const [h0, w0] = size(0);
  const input = tfl.input({ shape: [codeDim], name: `${name}_input` });
  let x: Node = denseBnRelu(input, {
    name: `${name}_level0`,
    units: h0 * w0 * widths[0]!,
    batchNorm: true,
    batchNormMomentum,
    relu: true,
  });
  x = applyLayer(tfl.layers.reshape({ name: `${name}_reshape`, targetShape: [h0, w0, widths[0]!] }), x);
  for (let i = 1; i <= levels; i++) {
    const [h, w] = i === levels ? [height, width] : size(i);
    if (x.shape[1] !== h || x.shape[2] !== w)
      x = applyLayer(new Resize({ name: `${name}_up${i}`, height: h, width: w }), x);
    if (i === levels) break;
    x = convBnRelu(x, {
      name: `${name}_level${i}`,
      filters: widths[i]!,
      kernelSize: 3,
      strides: 1,
      batchNorm: true,
      batchNormMomentum,
      relu: true,
    });
  }
  const output = applyLayer(
    tfl.layers.conv2d({
      name: `${name}_head_conv`,
      filters: channels,
      kernelSize: 3,
      padding: 'same',
      useBias: true,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  const model = tfl.model({ inputs: input, outputs: output, name });
  initializeWeights(model, key);
  return recordArchitecture(model, {
    name: OP,
    options: {
      codeDim,
      outputShape: [...outputShape],
      widths: [...widths],
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
