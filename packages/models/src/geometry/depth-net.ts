import {
  ArgumentError,
  checkInteger,
  checkKey,
  checkNumber,
  checkOneOf,
  type Key,
  keyToString,
} from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { Affine } from '../internal/affine-layer';
import { recordArchitecture } from '../internal/architecture';
import { applyLayer, basicBlock, convBnRelu, type Node } from '../internal/blocks';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';

/** The encoder stages of {@link depthNet}. */
export type DepthEncoder = 'plain' | 'residual';

/** What {@link depthNet} predicts at each scale: one disparity map, or left and right (stereo Monodepth). */
export type DepthOutputs = 'left' | 'left-right';

/** Options of {@link depthNet}. */
export interface DepthNetOptions {
  /**
   * Input image size `[H, W, C]` (no batch dimension), e.g. `[64, 192, 3]` or `[96, 320, 3]`. H and W
   * must be divisible by `2^L`, L = `encoderWidths.length` (32 with the default five levels). Required.
   */
  readonly inputShape: readonly [number, number, number];
  /**
   * Channels of the L encoder levels; level k outputs `1/2^(k+1)` of the input size. Default
   * `[16, 32, 64, 96, 128]` (Monodepth2's ResNet-18 has `[64, 64, 128, 256, 512]`).
   */
  readonly encoderWidths?: readonly number[];
  /**
   * Channels of the L decoder levels, finest first; decoder level i works at `1/2^i` of the input size.
   * Same length as `encoderWidths`. Default `[16, 24, 32, 64, 96]` (Monodepth2: `[16, 32, 64, 128, 256]`).
   */
  readonly decoderWidths?: readonly number[];
  /**
   * Encoder stage: `'plain'` is conv3x3(stride 2)-BN-ReLU then conv3x3-BN-ReLU; `'residual'` is one
   * ResNet BasicBlock with stride 2 and a 1x1 projection shortcut. Default `'plain'`.
   */
  readonly encoder?: DepthEncoder;
  /** Activation of the decoder convolutions (Monodepth2 uses ELU). Default `'elu'`. */
  readonly decoderActivation?: 'elu' | 'relu';
  /** How many disparity scales to output, 1 to L: full, 1/2, 1/4, ... Default 4. */
  readonly scales?: number;
  /**
   * `'left'`: one channel per scale (Monodepth2, SfMLearner). `'left-right'`: two channels per scale,
   * channel 0 the left-image disparity and channel 1 the right-image disparity (stereo Monodepth,
   * predicted from the left image only). Default `'left'`.
   */
  readonly outputs?: DepthOutputs;
  /**
   * Disparities are `minDisparity + (maxDisparity - minDisparity) * sigmoid(head)`. Defaults 0 and 1
   * (plain sigmoid, as Monodepth2, whose {@link disparityToDepth} maps it to depth); stereo Monodepth
   * uses `maxDisparity: 0.3` (disparity as a fraction of the image width).
   */
  readonly minDisparity?: number;
  /** See `minDisparity`. Default 1. */
  readonly maxDisparity?: number;
  /** Moving-average momentum of the encoder's batch-norm statistics. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from (same key, same weights on every backend). Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'depth_net'`. */
  readonly name?: string;
}

const OP = 'depthNet';

/** Conv (same padding, bias, zero-created kernel) followed by an activation layer. */
function convAct(x: Node, name: string, filters: number, activation: 'elu' | 'relu'): Node {
  const y = applyLayer(
    tfl.layers.conv2d({
      name: `${name}_conv`,
      filters,
      kernelSize: 3,
      padding: 'same',
      useBias: true,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  const act =
    activation === 'elu'
      ? tfl.layers.elu({ name: `${name}_elu` })
      : tfl.layers.reLU({ name: `${name}_relu` });
  return applyLayer(act, y);
}

/**
 * A U-Net depth network in the shape of Monodepth and Monodepth2: an encoder of L stride-2 levels
 * (features at 1/2 ... 1/2^L of the input) and a decoder that, for i = L-1 down to 0, applies
 * conv3x3-act, upsamples 2x (nearest), concatenates the encoder feature of level i-1 (the skip at the
 * same size; none at i = 0) and applies conv3x3-act again; decoder level i < `scales` feeds a disparity
 * head `sigmoid(conv3x3(x))` at `1/2^i` of the input.
 *
 * **Outputs**, ordered from full resolution to the coarsest: `outputs[s]` is
 * `[B, H/2^s, W/2^s, K]`, s = 0 .. scales-1, K = 1 (`'left'`) or 2 (`'left-right'`: channel 0 left,
 * channel 1 right), values in `(minDisparity, maxDisparity)`, default (0, 1). Output names are
 * `<name>_disp<s>`. With `scales: 1` the model has a single output tensor.
 *
 * Parameters, with encoder widths `w_k`, `w_{-1} = C`, decoder widths `d_i`, `d_L = w_{L-1}` and K
 * head channels: plain encoder level `9 w_{k-1} w_k + 9 w_k^2 + 8 w_k` (no conv bias; 4 BN numbers per
 * channel); residual `9 w_{k-1} w_k + 9 w_k^2 + w_{k-1} w_k + 12 w_k`; decoder level
 * `9 d_{i+1} d_i + d_i + 9 (d_i + w_{i-1}) d_i + d_i` (`w_{-1}` counts 0 here: no skip at i = 0);
 * head `9 d_i K + K`.
 *
 * No reflection padding (zero 'same' padding): tfjs 4.22's `mirrorPad` gradient is wrong. Train with
 * `model.apply(x, { training: true })` inside `tf.variableGrads` or `optimizer.minimize`; the result is
 * an array of the `scales` tensors in the order above.
 *
 * @param options - see {@link DepthNetOptions}
 * @returns a `tf.LayersModel` mapping images `[B, H, W, C]` to `scales` disparity maps, finest first
 * @throws ArgumentError naming the option (`inputShape` when H or W is not divisible by 2^L,
 *   `encoderWidths`, `decoderWidths`, `encoder`, `decoderActivation`, `scales`, `outputs`,
 *   `minDisparity`/`maxDisparity`, `batchNormMomentum`, `key`) when it is missing or out of range
 * @example
 * ```ts
 * const net = depthNet({ inputShape: [64, 192, 3], key: createKey(0) });
 * const [disp0, disp1, disp2, disp3] = net.predict(tf.zeros([2, 64, 192, 3])) as tf.Tensor[];
 * // [2,64,192,1] [2,32,96,1] [2,16,48,1] [2,8,24,1], values in (0, 1)
 * const { depth } = disparityToDepth(disp0, { minDepth: 0.1, maxDepth: 100 });
 * ```
 * @see Godard et al., "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019,
 *   https://arxiv.org/abs/1806.01260; Godard et al., "Unsupervised Monocular Depth Estimation with
 *   Left-Right Consistency" (Monodepth), CVPR 2017, https://arxiv.org/abs/1609.03677
 */
export function depthNet(options: DepthNetOptions): tfl.LayersModel {
  const {
    inputShape,
    encoderWidths = [16, 32, 64, 96, 128],
    decoderWidths = [16, 24, 32, 64, 96],
    encoder = 'plain',
    decoderActivation = 'elu',
    scales = 4,
    outputs = 'left',
    minDisparity = 0,
    maxDisparity = 1,
    batchNormMomentum = 0.9,
    key,
    name = 'depth_net',
  } = options ?? ({} as DepthNetOptions);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  checkDimensions(encoderWidths, OP, 'encoderWidths');
  checkDimensions(decoderWidths, OP, 'decoderWidths');
  const levels = encoderWidths.length;
  if (decoderWidths.length !== levels) {
    throw new ArgumentError({
      op: OP,
      argument: 'decoderWidths',
      expected: `${levels} widths, one per encoder level`,
      actual: JSON.stringify(decoderWidths),
    });
  }
  const [height, width] = inputShape;
  const factor = 2 ** levels;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'inputShape',
      message: `${OP}: 'inputShape' is ${JSON.stringify(inputShape)} but H and W must be divisible by 2^${levels} = ${factor} (one halving per encoder level); try [${Math.max(1, Math.round(height / factor)) * factor}, ${Math.max(1, Math.round(width / factor)) * factor}, ${inputShape[2]}].`,
    });
  }
  checkOneOf(encoder, ['plain', 'residual'], { op: OP, arg: 'encoder' });
  checkOneOf(decoderActivation, ['elu', 'relu'], { op: OP, arg: 'decoderActivation' });
  checkInteger(scales, { op: OP, arg: 'scales', min: 1, max: levels });
  checkOneOf(outputs, ['left', 'left-right'], { op: OP, arg: 'outputs' });
  checkNumber(minDisparity, { op: OP, arg: 'minDisparity', min: 0 });
  checkNumber(maxDisparity, { op: OP, arg: 'maxDisparity', min: minDisparity, exclusiveMin: true });
  if (maxDisparity === minDisparity) {
    throw new ArgumentError({
      op: OP,
      argument: 'maxDisparity',
      expected: `a finite number > minDisparity (${minDisparity})`,
      actual: String(maxDisparity),
    });
  }
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();

  const input = tfl.input({ shape: [...inputShape], name: `${name}_input` });
  const features: Node[] = [];
  let x: Node = input;
  encoderWidths.forEach((filters, k) => {
    const stage = `${name}_enc${k}`;
    if (encoder === 'residual') {
      x = basicBlock(x, filters, 2, stage, batchNormMomentum);
    } else {
      const common = { filters, kernelSize: 3, batchNorm: true, batchNormMomentum, relu: true };
      x = convBnRelu(x, { ...common, name: `${stage}_down`, strides: 2 });
      x = convBnRelu(x, { ...common, name: stage, strides: 1 });
    }
    features.push(x);
  });

  const headChannels = outputs === 'left-right' ? 2 : 1;
  const disparities: Node[] = [];
  for (let i = levels - 1; i >= 0; i--) {
    const level = `${name}_dec${i}`;
    x = convAct(x, `${level}_a`, decoderWidths[i]!, decoderActivation);
    x = applyLayer(
      tfl.layers.upSampling2d({ name: `${level}_up`, size: [2, 2], interpolation: 'nearest' }),
      x,
    );
    if (i > 0)
      x = applyLayer(tfl.layers.concatenate({ name: `${level}_skip`, axis: -1 }), [x, features[i - 1]!]);
    x = convAct(x, `${level}_b`, decoderWidths[i]!, decoderActivation);
    if (i < scales) {
      const head = applyLayer(
        tfl.layers.conv2d({
          name: `${name}_head${i}_conv`,
          filters: headChannels,
          kernelSize: 3,
          padding: 'same',
          useBias: true,
          kernelInitializer: 'zeros',
        }),
        x,
      );
      const ranged = minDisparity === 0 && maxDisparity === 1;
      let disp = applyLayer(
        tfl.layers.activation({
          activation: 'sigmoid',
          name: ranged ? `${name}_disp${i}` : `${name}_head${i}_sigmoid`,
        }),
        head,
      );
      if (!ranged) {
        disp = applyLayer(
          new Affine({ name: `${name}_disp${i}`, scale: maxDisparity - minDisparity, offset: minDisparity }),
          disp,
        );
      }
      disparities.unshift(disp);
    }
  }
  const model = tfl.model({
    inputs: input,
    outputs: disparities.length === 1 ? disparities[0]! : disparities,
    name,
  });
  initializeWeights(model, key);
  return recordArchitecture(model, {
    name: OP,
    options: {
      inputShape: [...inputShape],
      encoderWidths: [...encoderWidths],
      decoderWidths: [...decoderWidths],
      encoder,
      decoderActivation,
      scales,
      outputs,
      minDisparity,
      maxDisparity,
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
