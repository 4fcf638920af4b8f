import {
  ArgumentError,
  checkInteger,
  checkKey,
  checkShape,
  foldIn,
  type Key,
  keyToString,
  resizeBilinear,
  shapeBindings,
} from '@genoise/core';
import { flowWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture } from '../internal/architecture';
import { buildEstimator, buildPyramid, centeredPair, matchingCost, pairFeatures } from '../internal/pwc';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';
import { trainableVariables } from '../training/trainable-variables';
import { costVolume } from './cost-volume';

/** Options of {@link flowNet}. */
export interface FlowNetOptions {
  /**
   * Input frame size `[H, W, C]` (no batch dimension), e.g. `[64, 64, 3]` or `[96, 96, 3]`. H and W
   * must be divisible by `2^levels`. Required.
   */
  readonly inputShape: readonly [number, number, number];
  /** Pyramid levels L, 2 to 6; level l works at `1/2^l` of the input. Default 4. */
  readonly levels?: number;
  /**
   * The finest level with a flow estimator, 1 to `levels`: PWC-Net stops at 2 (1/4 of the input) and
   * upsamples; 1 estimates at 1/2 too, at about 4x the cost of level 2. Default 2.
   */
  readonly finestLevel?: number;
  /** Search range d of every level's {@link costVolume}, in pixels of that level: `(2d+1)^2` channels. Default 4. */
  readonly maxDisplacement?: number;
  /** Feature channels of the L pyramid levels, finest first. Default the first L of `[16, 32, 48, 64, 96, 128]`. */
  readonly widths?: readonly number[];
  /** Channels of each flow estimator's hidden conv3x3 layers (one estimator per level). Default `[48, 32, 16]`. */
  readonly estimatorWidths?: readonly number[];
  /** The key every weight is drawn from (same key, same weights on every backend). Required. */
  readonly key: Key;
  /** Prefix of the models' and layers' names. Default `'flow_net'`. */
  readonly name?: string;
}

/** Options of {@link FlowNet.apply}. */
export interface FlowNetApplyOptions {
  /** Training mode, passed to the layers (the network has no batch norm or dropout today). Default false. */
  readonly training?: boolean;
}

/** A model of a {@link FlowNet} under a stable name (the shape of the trainer's `NamedModel`). */
export interface FlowNetModel {
  readonly name: string;
  readonly model: tfl.LayersModel;
}

/** A coarse-to-fine optical-flow network built by {@link flowNet}. */
export interface FlowNet {
  /** The frame size `[H, W, C]` it was built for. */
  readonly inputShape: readonly [number, number, number];
  /** Pyramid levels L. */
  readonly levels: number;
  /** The finest level with an estimator, F. */
  readonly finestLevel: number;
  /** The level of each output of `apply`: `[0, F, F + 1, ..., L]` (output i is `1/2^outputLevels[i]` of the input). */
  readonly outputLevels: readonly number[];
  /** The cost volume's search range d. */
  readonly maxDisplacement: number;
  /**
   * Flow from `frame1` to `frame2` (`I1(x) ~ I2(x + flow(x))`) at `L - F + 2` scales, finest first:
   * `flows[0]` `[B, H, W, 2]` (level F's flow upsampled bilinearly), then `[B, H/2^l, W/2^l, 2]` for
   * l = F..L (see `outputLevels`). Each flow is in pixels of **its own resolution** (so a level-l flow
   * is about `flows[0] / 2^l` resized), (u, v) with x right and y down. Runs in a tidy scope; the caller owns the returned tensors.
   *
   * @param frame1 - float32 `[B, H, W, C]`, the inputShape's size
   * @param frame2 - float32 `[B, H, W, C]`
   * @throws ShapeError when a frame is not `[B, H, W, C]` of the inputShape or their batches differ
   */
  apply(frame1: tf.Tensor4D, frame2: tf.Tensor4D, options?: FlowNetApplyOptions): tf.Tensor4D[];
  /** Every trainable variable, in a fixed order (pyramid, then the estimators finest first). */
  trainableVariables(): tf.Variable[];
  /** The pyramid and the estimators (`<name>_pyramid`, `<name>_level<F>..<L>`), for checkpoints and model folders. */
  readonly models: readonly FlowNetModel[];
  /** Disposes every model's weights. */
  dispose(): void;
}

const OP = 'flowNet';
/**
 * A small PWC-style optical-flow network: a shared feature pyramid, and at each level from coarse to
 * fine, frame 2's features warped by the upsampled flow ({@link flowWarp}), a {@link costVolume} against
 * frame 1's features, and an estimator predicting the flow residual.
 *
 * - Input: each pair minus its per-channel mean over both frames (IRR-PWC and self-mono-sf; FlowNet
 *   and UnFlow subtract a dataset mean). On raw [0, 1] frames the supervised network sat at the
 *   zero-flow EPE for 500-1,000 Adam steps before it learned; centred, it learns from the first hundreds.
 * - Pyramid (one model, shared by both frames, which run as one batch of 2B): per level l = 1..L,
 *   conv3x3 stride 2 then conv3x3, each with bias and leaky ReLU (0.1): `f_l` at `1/2^l`.
 * - Level L (coarsest): `cv = lrelu(costVolume(f1_L, f2_L, d, normalize))`, `flow_L = E_L([cv, f1_L])`.
 * - Level l = L-1 down to F (`finestLevel`): `up = 2 * resize(flow_{l+1})`,
 *   `cv = lrelu(costVolume(f1_l, flowWarp(f2_l, up), d, normalize))`,
 *   `flow_l = up + E_l([cv, f1_l, up])`. `E_l` is conv3x3-lrelu per `estimatorWidths`, then a linear
 *   conv3x3 to 2 channels (He normal / 10, so the untrained network predicts small flows); each level
 *   has its own estimator.
 * - The cost volume correlates features divided by their per-pixel RMS over channels (cosine
 *   similarity, `costVolume`'s `normalize`). With PWC-Net's plain mean of products this small network
 *   did not learn even constant translations (supervised, 32x32, 0-3 px: EPE 2.39 after 200 Adam steps
 *   against 2.36 for zero flow; the raw entries follow the features' magnitudes, not the match); with
 *   it, 0.78.
 * - `flows[0] = 2^F * resize(flow_F)` to the input size. Resizes are `@genoise/core`'s `resizeBilinear`.
 *
 * Why PWC-style rather than FlowNetS: warping with the coarse estimate keeps each level's search range
 * small (d = 4 px per level covers `4 (2^L - 1)` px of input motion), the cost volume gives the network
 * an explicit matching signal instead of having to learn correlation from stacked frames, and it needs
 * far fewer weights (PWC-Net 8.75M against FlowNetS 38M), which is what two CPU cores can train;
 * UnFlow's successors (IRR-PWC, self-mono-sf) build on the same pyramid, so the scene-flow network
 * shares it.
 *
 * Simplified from PWC-Net: normalised correlation (above), 2-6 levels (PWC: 6 plus the image), optional estimation down to 1/2
 * (`finestLevel: 1`; PWC stops at 1/4 and upsamples x4, the default here), plain conv stacks instead of DenseNet estimators, no features passed between
 * levels (PWC's deconvolved "upfeat"), no dilated context network, flows in pixels of each level (PWC
 * scales them by 1/20 and per-level constants), bilinear resizing instead of learned deconvolution, zero
 * padding. No batch norm (as PWC), so `training` changes nothing today.
 *
 * Parameters: pyramid `sum_l 9 w_{l-1} w_l + w_l + 9 w_l^2 + w_l` (`w_0 = C`); estimator l (F..L) takes
 * `(2d+1)^2 + w_l (+ 2 below the coarsest)` channels through the hidden widths to 2, 9 k_in k_out +
 * k_out per conv.
 *
 * @param options - see {@link FlowNetOptions}
 * @returns a {@link FlowNet}; train with `tf.variableGrads(() => loss(net.apply(f1, f2, { training: true })), net.trainableVariables())`
 * @throws ArgumentError naming the option (`inputShape` when H or W is not divisible by `2^levels`,
 *   `levels`, `maxDisplacement`, `widths`, `estimatorWidths`, `key`)
 * @example
 * ```ts
 * const net = flowNet({ inputShape: [64, 64, 3], levels: 4, key: createKey(0) });
 * const flows = net.apply(frame1, frame2); // [B,64,64,2] [B,16,16,2] [B,8,8,2] [B,4,4,2]; net.outputLevels [0,2,3,4]
 * const i1FromI2 = flowWarp(frame2, flows[0]); // photometric loss against frame1 (UnFlow)
 * ```
 * @see Sun et al., "PWC-Net: CNNs for Optical Flow Using Pyramid, Warping, and Cost Volume", CVPR 2018,
 *   https://arxiv.org/abs/1709.02371; Meister, Hur & Roth, "UnFlow", AAAI 2018, https://arxiv.org/abs/1711.07837
 */
export function flowNet(options: FlowNetOptions): FlowNet {
  const {
    inputShape,
    levels = 4,
    finestLevel = 2,
    maxDisplacement = 4,
    widths: givenWidths,
    estimatorWidths = [48, 32, 16],
    key,
    name = 'flow_net',
  } = options ?? ({} as FlowNetOptions);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  checkInteger(levels, { op: OP, arg: 'levels', min: 2, max: 6 });
  checkInteger(finestLevel, { op: OP, arg: 'finestLevel', min: 1, max: levels });
  checkInteger(maxDisplacement, { op: OP, arg: 'maxDisplacement', min: 0, max: 32 });
  const widths = givenWidths ?? [16, 32, 48, 64, 96, 128].slice(0, levels);
  checkDimensions(widths, OP, 'widths', levels);
  checkDimensions(estimatorWidths, OP, 'estimatorWidths');
  checkKey(key, OP);
  const [height, width, channels] = inputShape;
  const factor = 2 ** levels;
  if (height % factor !== 0 || width % factor !== 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'inputShape',
      message: `${OP}: 'inputShape' is ${JSON.stringify(inputShape)} but H and W must be divisible by 2^${levels} = ${factor} (one halving per pyramid level); try [${Math.max(1, Math.round(height / factor)) * factor}, ${Math.max(1, Math.round(width / factor)) * factor}, ${channels}].`,
    });
  }
  registerLayers();
  const recorded = {
    inputShape: [...inputShape],
    levels,
    finestLevel,
    maxDisplacement,
    widths: [...widths],
    estimatorWidths: [...estimatorWidths],
    key: keyToString(key),
    name,
  };

  // The shared feature pyramid: [B, H, W, C] -> L maps, finest first.
  const pyramid = buildPyramid(inputShape, widths, name, foldIn(key, 0));
  recordArchitecture(pyramid, { name: OP, options: { ...recorded, part: 'pyramid' } });

  // One residual-flow estimator per level F..L.
  const cvChannels = (2 * maxDisplacement + 1) ** 2;
  const estimators = widths.slice(finestLevel - 1).map((w, i) => {
    const level = finestLevel + i;
    const shape = [
      height / 2 ** level,
      width / 2 ** level,
      cvChannels + w + (level < levels ? 2 : 0),
    ] as const;
    const model = buildEstimator(shape, estimatorWidths, 2, `${name}_level${level}`, foldIn(key, level));
    return recordArchitecture(model, { name: OP, options: { ...recorded, part: `level${level}` } });
  });

  const models: FlowNetModel[] = [pyramid, ...estimators].map((model) => ({ name: model.name, model }));

  const apply = (
    frame1: tf.Tensor4D,
    frame2: tf.Tensor4D,
    applyOptions?: FlowNetApplyOptions,
  ): tf.Tensor4D[] => {
    const dims = shapeBindings();
    checkShape(frame1, ['B', height, width, channels], { op: `${OP}.apply`, arg: 'frame1', bindings: dims });
    checkShape(frame2, ['B', height, width, channels], { op: `${OP}.apply`, arg: 'frame2', bindings: dims });
    const training = applyOptions?.training ?? false;
    return tf.tidy(`${OP}.apply`, () => {
      const batch = frame1.shape[0];
      const maps = pyramid.apply(centeredPair(frame1, frame2), { training }) as tf.Tensor4D[];
      const flows: tf.Tensor4D[] = [];
      let flow: tf.Tensor4D | undefined;
      for (let level = levels; level >= finestLevel; level--) {
        const [f1, f2] = pairFeatures(maps, level, batch);
        const [, h, w] = f1.shape;
        const up = flow === undefined ? undefined : (tf.mul(resizeBilinear(flow, [h, w]), 2) as tf.Tensor4D);
        const cv = matchingCost(f1, up === undefined ? f2 : flowWarp(f2, up), maxDisplacement);
        const input = tf.concat(up === undefined ? [cv, f1] : [cv, f1, up], -1);
        const residual = estimators[level - finestLevel]!.apply(input, { training }) as tf.Tensor4D;
        flow = up === undefined ? residual : (tf.add(up, residual) as tf.Tensor4D);
        flows.unshift(flow);
      }
      const full = tf.mul(resizeBilinear(flows[0]!, [height, width]), 2 ** finestLevel) as tf.Tensor4D;
      return [full, ...flows];
    });
  };

  return {
    inputShape: [height, width, channels],
    levels,
    finestLevel,
    outputLevels: [0, ...estimators.map((_, i) => finestLevel + i)],
    maxDisplacement,
    apply,
    trainableVariables: () => trainableVariables(pyramid, ...estimators),
    models,
    dispose: () => {
      for (const { model } of models) model.dispose();
    },
  };
}
