import {
  ArgumentError,
  checkBoolean,
  checkInteger,
  checkKey,
  checkNumber,
  type Key,
  keyToString,
} from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { Affine } from '../internal/affine-layer';
import { recordArchitecture } from '../internal/architecture';
import { applyLayer, convBnRelu } from '../internal/blocks';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';

/** Options of {@link poseNet}. */
export interface PoseNetOptions {
  /** Size of one frame `[H, W, C]`, e.g. `[96, 320, 3]`; the model input is `[B, H, W, C * frames]`. Required. */
  readonly inputShape: readonly [number, number, number];
  /** Frames stacked along channels: the target and `frames - 1` sources. At least 2. Default 3. */
  readonly frames?: number;
  /** Channels of the stride-2 conv-ReLU stages. Default SfMLearner's `[16, 32, 64, 128, 256, 256, 256]`. */
  readonly widths?: readonly number[];
  /** Kernel size of each stage, same length as `widths`. Default 7, 5, then 3 (SfMLearner). */
  readonly kernelSizes?: readonly number[];
  /** Batch normalisation after each stage's convolution (SfMLearner and Monodepth2 have none). Default false. */
  readonly batchNorm?: boolean;
  /** Factor on the output (SfMLearner and Monodepth2 use 0.01, so early poses are near identity). Default 0.01. */
  readonly outputScale?: number;
  /** Moving-average momentum of the batch-norm statistics, when `batchNorm`. Default 0.9. */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'pose_net'`. */
  readonly name?: string;
}

const OP = 'poseNet';

/**
 * A pose network in the shape of SfMLearner's and Monodepth2's: frames stacked along channels, stride-2
 * conv-ReLU stages, a 1x1 convolution to `6 (frames - 1)` channels, a global average over space, a
 * reshape and a fixed scale:
 * `[B, H, W, C * frames] -> [B, frames - 1, 6]`, `pose = outputScale * mean_{y,x} conv1x1(stages(x))`.
 *
 * **Input order**: channels `[c*f, c*(f+1))` hold frame f; frame 0 is the target and frames
 * 1 .. frames-1 the sources (e.g. `tf.concat([target, previous, next], -1)`). **Output**: row j of
 * `[B, frames - 1, 6]` is the 6-DoF vector `[rx, ry, rz, tx, ty, tz]` (axis-angle rotation in radians,
 * then translation) of source frame j + 1. The network learns whatever convention the loss imposes;
 * genoise's recipes read it as `srcTransTgt` (target-camera points into source j + 1's camera).
 *
 * Parameters, with widths `w_i`, kernels `k_i`, `w_{-1} = C * frames`, N = frames - 1:
 * `sum_i (k_i^2 w_{i-1} w_i + w_i) + w_last * 6N + 6N` (conv biases; with batch norm each stage has
 * `4 w_i` BN numbers instead of `w_i` biases).
 *
 * @param options - see {@link PoseNetOptions}
 * @returns a `tf.LayersModel` mapping `[B, H, W, C * frames]` to `[B, frames - 1, 6]`
 * @throws ArgumentError naming the option (`inputShape`, `frames`, `widths`, `kernelSizes`, `batchNorm`,
 *   `outputScale`, `batchNormMomentum`, `key`) when it is missing or out of range
 * @example
 * ```ts
 * const net = poseNet({ inputShape: [96, 320, 3], frames: 3, key: createKey(1) });
 * const poses = net.predict(tf.concat([target, previous, next], -1)) as tf.Tensor; // [B, 2, 6]
 * ```
 * @see Zhou et al., "Unsupervised Learning of Depth and Ego-Motion from Video" (SfMLearner), CVPR 2017,
 *   https://arxiv.org/abs/1704.07813; Godard et al., Monodepth2, ICCV 2019, https://arxiv.org/abs/1806.01260
 */
export function poseNet(options: PoseNetOptions): tfl.LayersModel {
  const {
    inputShape,
    frames = 3,
    widths = [16, 32, 64, 128, 256, 256, 256],
    kernelSizes,
    batchNorm = false,
    outputScale = 0.01,
    batchNormMomentum = 0.9,
    key,
    name = 'pose_net',
  } = options ?? ({} as PoseNetOptions);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  checkInteger(frames, { op: OP, arg: 'frames', min: 1 });
  if (frames < 2) {
    throw new ArgumentError({
      op: OP,
      argument: 'frames',
      expected: 'an integer >= 2 (the target and at least one source)',
      actual: String(frames),
    });
  }
  checkDimensions(widths, OP, 'widths');
  const kernels = kernelSizes ?? widths.map((_, i) => (i === 0 ? 7 : i === 1 ? 5 : 3));
  checkDimensions(kernels, OP, 'kernelSizes', widths.length);
  checkBoolean(batchNorm, { op: OP, arg: 'batchNorm' });
  checkNumber(outputScale, { op: OP, arg: 'outputScale' });
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();

  const sources = frames - 1;
  const [height, width, channels] = inputShape;
  const input = tfl.input({ shape: [height, width, channels * frames], name: `${name}_input` });
  let x = input;
  widths.forEach((filters, i) => {
    x = convBnRelu(x, {
      name: `${name}_stage${i + 1}`,
      filters,
      kernelSize: kernels[i]!,
      strides: 2,
      batchNorm,
      batchNormMomentum,
      relu: true,
    });
  });
  x = applyLayer(
    tfl.layers.conv2d({
      name: `${name}_pred_conv`,
      filters: 6 * sources,
      kernelSize: 1,
      useBias: true,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  x = applyLayer(tfl.layers.globalAveragePooling2d({ name: `${name}_mean` }), x); // [B, 6N]
  x = applyLayer(tfl.layers.reshape({ name: `${name}_reshape`, targetShape: [sources, 6] }), x);
  const pose = applyLayer(new Affine({ name: `${name}_pose`, scale: outputScale }), x); // [B, N, 6]
  const model = tfl.model({ inputs: input, outputs: pose, name });
  initializeWeights(model, key);
  return recordArchitecture(model, {
    name: OP,
    options: {
      inputShape: [...inputShape],
      frames,
      widths: [...widths],
      kernelSizes: [...kernels],
      batchNorm,
      outputScale,
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
