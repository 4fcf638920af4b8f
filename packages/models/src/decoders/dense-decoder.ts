import {
  ArgumentError,
  checkBoolean,
  checkInteger,
  checkKey,
  checkNumber,
  describeValue,
  type Key,
  keyToString,
} from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { recordArchitecture } from '../internal/architecture';
import { applyLayer, convBnRelu, type Node } from '../internal/blocks';
import { Resize } from '../internal/resize-layer';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';

/** Options of {@link denseDecoder}. */
export interface DenseDecoderOptions {
  /**
   * Shapes `[h, w, c]` of the encoder's stage maps, shallow to deep (as `encoderStages(encoder).outputs`
   * without the pooled one: `outputs.slice(0, -1).map((o) => o.shape.slice(1))`). Required.
   */
  readonly stageShapes: readonly (readonly [number, number, number])[];
  /** Channels of the output map: 3 for surface normals, 261 for colorization's ab bins, C for inpainting. Required. */
  readonly outputChannels: number;
  /** Output size `[H, W]`, usually the encoder's input size. Required. */
  readonly outputShape: readonly [number, number];
  /**
   * Channels of the N decoder levels, finest first: level 0 works at `outputShape`, level i >= 1 at stage
   * i's size. Default: stage 1's channels at level 0 and stage i's channels at level i.
   */
  readonly widths?: readonly number[];
  /** Concatenate each stage map (U-Net skip) before the level's convolution. Default true. */
  readonly skips?: boolean;
  /** Moving-average momentum of the batch-norm statistics. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'dense_decoder'`. */
  readonly name?: string;
}

const OP = 'denseDecoder';

/**
 * A U-Net-style decoder from an encoder's stage maps to a dense map at input resolution, for
 * transferring a pretrained trunk to dense tasks (surface normals, colorization logits, inpainting).
 *
 * With N stages, shallow to deep, `x = stage_N`, then for level i = N-1 down to 0: bilinear upsampling
 * to the size of stage i (level 0: to `outputShape`; this is x2 when sizes halve exactly, and absorbs
 * the round-up of odd sizes, 7 -> 4), concatenation of stage i when `skips` (i >= 1), and
 * conv3x3-BN-ReLU with `widths[i]` channels; finally a conv3x3 with bias to `outputChannels`, no
 * activation (logits, or raw values such as unnormalised normals):
 * `[[B, h_1, w_1, c_1], ..., [B, h_N, w_N, c_N]] -> [B, H, W, outputChannels]`.
 * When stage 1 already has the output size, level 0 does not resize.
 *
 * Inputs are named `<name>_stage1` .. `<name>_stageN`; pass the maps as an array, shallow to deep
 * (`decoder.apply(maps.slice(0, -1), { training: true })` with `maps` from `encoderStages`).
 * The bilinear resize is `@genoise/core`'s `resizeBilinear` (half-pixel centres, right gradient).
 *
 * Parameters, with `u_i` the channels entering level i (`c_N` at the deepest, else `widths[i+1]`) plus
 * `c_i` for a skip: `9 u_i widths[i] + 4 widths[i]` per level, and `9 widths[0] K + K` for the head.
 *
 * @param options - see {@link DenseDecoderOptions}
 * @returns a `tf.LayersModel` with N inputs (the stage maps) and one output `[B, H, W, outputChannels]`
 * @throws ArgumentError naming the option (`stageShapes`, `outputChannels`, `outputShape`, `widths`,
 *   `skips`, `batchNormMomentum`, `key`) when it is missing or out of range
 * @example
 * ```ts
 * const encoder = smallConvNet({ inputShape: [28, 28, 1], widths: [16, 32, 64], key: createKey(0) });
 * const stages = encoderStages(encoder);
 * const stageShapes = stages.outputs.slice(0, -1).map((o) => o.shape.slice(1) as [number, number, number]);
 * const decoder = denseDecoder({ stageShapes, outputChannels: 3, outputShape: [28, 28], key: createKey(1) });
 * const maps = stages.apply(images, { training: true }) as tf.Tensor[];
 * const normals = decoder.apply(maps.slice(0, -1), { training: true }) as tf.Tensor; // [B, 28, 28, 3]
 * ```
 * @see Ronneberger et al., "U-Net", MICCAI 2015, https://arxiv.org/abs/1505.04597; Doersch et al.,
 *   "Unsupervised Visual Representation Learning by Context Prediction", ICCV 2015 (surface-normal transfer)
 */
export function denseDecoder(options: DenseDecoderOptions): tfl.LayersModel {
  const {
    stageShapes,
    outputChannels,
    outputShape,
    widths: givenWidths,
    skips = true,
    batchNormMomentum = 0.9,
    key,
    name = 'dense_decoder',
  } = options ?? ({} as DenseDecoderOptions);
  if (!Array.isArray(stageShapes) || stageShapes.length === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'stageShapes',
      expected: 'a non-empty array of [h, w, c], shallow to deep',
      actual: describeValue(stageShapes),
    });
  }
  for (const [i, s] of stageShapes.entries()) checkDimensions(s, OP, `stageShapes[${i}]`, 3);
  checkInteger(outputChannels, { op: OP, arg: 'outputChannels', min: 1 });
  checkDimensions(outputShape, OP, 'outputShape', 2);
  const levels = stageShapes.length;
  const widths = givenWidths ?? stageShapes.map((_, i) => stageShapes[Math.max(0, i - 1)]![2]);
  checkDimensions(widths, OP, 'widths', levels);
  checkBoolean(skips, { op: OP, arg: 'skips' });
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();

  const inputs = stageShapes.map((s, i) => tfl.input({ shape: [...s], name: `${name}_stage${i + 1}` }));
  let x: Node = inputs[levels - 1]!;
  for (let i = levels - 1; i >= 0; i--) {
    const level = `${name}_level${i}`;
    const [height, width] = i === 0 ? outputShape : stageShapes[i - 1]!;
    if (x.shape[1] !== height || x.shape[2] !== width) {
      x = applyLayer(new Resize({ name: `${level}_up`, height, width }), x);
    }
    if (skips && i >= 1) {
      x = applyLayer(tfl.layers.concatenate({ name: `${level}_skip`, axis: -1 }), [x, inputs[i - 1]!]);
    }
    x = convBnRelu(x, {
      name: level,
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
      filters: outputChannels,
      kernelSize: 3,
      padding: 'same',
      useBias: true,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  const model = tfl.model({ inputs, outputs: output, name });
  initializeWeights(model, key);
  return recordArchitecture(model, {
    name: OP,
    options: {
      stageShapes: stageShapes.map((s) => [...s]),
      outputChannels,
      outputShape: [...outputShape],
      widths: [...widths],
      skips,
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
