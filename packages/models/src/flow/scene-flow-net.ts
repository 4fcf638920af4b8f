import {
  ArgumentError,
  checkInteger,
  checkKey,
  checkNumber,
  checkShape,
  foldIn,
  type Key,
  keyToString,
  resizeBilinear,
  shapeBindings,
} from '@genoise/core';
import { scaleIntrinsics, sceneFlowWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { recordArchitecture } from '../internal/architecture';
import { buildEstimator, buildPyramid, centeredPair, matchingCost, pairFeatures } from '../internal/pwc';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';
import { trainableVariables } from '../training/trainable-variables';
import { costVolume } from './cost-volume';
import type { FlowNetModel } from './flow-net';

/** Options of {@link sceneFlowNet}. */
export interface SceneFlowNetOptions {
  /** Input frame size `[H, W, C]`; H and W divisible by `2^levels`. Required. */
  readonly inputShape: readonly [number, number, number];
  /** Pyramid levels L, 2 to 6. Default 4. */
  readonly levels?: number;
  /** The finest level with an estimator, 1 to L (self-mono-sf and PWC-Net stop at 2). Default 2. */
  readonly finestLevel?: number;
  /** Search range d of every level's {@link costVolume}. Default 4. */
  readonly maxDisplacement?: number;
  /** Feature channels of the L pyramid levels, finest first. Default the first L of `[16, 32, 48, 64, 96, 128]`. */
  readonly widths?: readonly number[];
  /** Channels of each estimator's hidden conv3x3 layers. Default `[48, 32, 16]`. */
  readonly estimatorWidths?: readonly number[];
  /** Disparities are `maxDisparity * sigmoid(.)`, a fraction of the image width. Default 0.3 (self-mono-sf). */
  readonly maxDisparity?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Prefix of the models' and layers' names. Default `'scene_flow_net'`. */
  readonly name?: string;
}

/** Options of {@link SceneFlowNet.apply}. */
export interface SceneFlowNetApplyOptions {
  /** Intrinsics `[B, 3, 3]` in pixels of the input resolution (scaled to each level inside). Required. */
  readonly intrinsics: tf.Tensor3D;
  /** Stereo baseline in scene units: `depth = baseline * fx / (disparity * W)`. Required. */
  readonly baseline: number;
  /** Training mode, passed to the layers (no batch norm or dropout today). Default false. */
  readonly training?: boolean;
}

/** One scale of a {@link SceneFlowNet}'s prediction. */
export interface SceneFlowEstimate {
  /** `[B, h, w, 3]`: (dX, dY, dZ) of each frame-1 point, in scene units (the baseline's), frame-1 camera frame. */
  readonly sceneFlow: tf.Tensor4D;
  /** `[B, h, w, 1]`: frame 1's disparity as a fraction of the image width, in `(0, maxDisparity)`. */
  readonly disparity: tf.Tensor4D;
}

/** A monocular scene-flow network built by {@link sceneFlowNet}. */
export interface SceneFlowNet {
  readonly inputShape: readonly [number, number, number];
  readonly levels: number;
  readonly finestLevel: number;
  /** The level of each output of `apply`: `[0, F, ..., L]` (output i is `1/2^outputLevels[i]` of the input). */
  readonly outputLevels: readonly number[];
  readonly maxDisplacement: number;
  readonly maxDisparity: number;
  /**
   * Scene flow and disparity of frame 1 from two consecutive monocular frames, finest first: output 0 at
   * `[H, W]` (level F's estimate upsampled bilinearly, values unchanged: scene flow is metric and
   * disparity a fraction of width, so neither scales with resolution), then levels F..L. Runs in a tidy
   * scope; the caller owns the returned tensors. For frame 2's disparity and the backward scene flow,
   * call it again with the frames swapped (as self-mono-sf does).
   *
   * @throws ShapeError when a frame is not `[B, H, W, C]` of the inputShape or `intrinsics` is not
   *   `[B, 3, 3]`; ArgumentError when `baseline` is not a positive number
   */
  apply(frame1: tf.Tensor4D, frame2: tf.Tensor4D, options: SceneFlowNetApplyOptions): SceneFlowEstimate[];
  /** Every trainable variable, in a fixed order (pyramid, then the estimators finest first). */
  trainableVariables(): tf.Variable[];
  /** The pyramid and the estimators (`<name>_pyramid`, `<name>_level<F>..<L>`). */
  readonly models: readonly FlowNetModel[];
  /** Disposes every model's weights. */
  dispose(): void;
}

const OP = 'sceneFlowNet';

/**
 * A self-mono-sf-style monocular scene-flow network on {@link flowNet}'s PWC pyramid: one network
 * predicts, per level, frame 1's disparity and the 3-D scene flow of its points.
 *
 * - Pyramid shared by both frames (as {@link flowNet}).
 * - Level L: `cv = lrelu(costVolume(f1_L, f2_L, d, normalize))` (normalised correlation and a small
 *   output layer, as {@link flowNet}, without which it did not learn), `o = E_L([cv, f1_L])`.
 * - Level l = L-1 down to F: `s = resize(sf_{l+1})`, `q = resize(disp_{l+1})` (no rescaling: metric and
 *   width-relative), frame 2's features warped through the geometry,
 *   `w2 = sceneFlowWarp(f2_l, depth = baseline fx / (q W), s, K_l)` (`K_l` = `scaleIntrinsics(K, 1/2^l)`),
 *   `cv = lrelu(costVolume(f1_l, w2, d, normalize))`, `o = E_l([cv, f1_l, s, q])`.
 * - `sf_l = s + o[..., 0:3]` (a residual), `disp_l = maxDisparity * sigmoid(o[..., 3])` (predicted
 *   anew at each level, as self-mono-sf).
 *
 * Simplified from self-mono-sf (Hur & Roth 2020) as {@link flowNet} is from PWC-Net: fewer levels
 * (theirs: 7 with estimation down to 1/4), plain conv estimators, no features passed between levels, no
 * context network; the camera is static (ego-motion is part of the scene flow, as theirs).
 *
 * @param options - see {@link SceneFlowNetOptions}
 * @returns a {@link SceneFlowNet}
 * @throws ArgumentError naming the option (`inputShape` when H or W is not divisible by `2^levels`,
 *   `levels`, `finestLevel`, `maxDisplacement`, `widths`, `estimatorWidths`, `maxDisparity`, `key`)
 * @example
 * ```ts
 * const net = sceneFlowNet({ inputShape: [64, 192, 3], key: createKey(0) });
 * const [full] = net.apply(frame1, frame2, { intrinsics: K, baseline: 0.54 });
 * // full.sceneFlow [B,64,192,3], full.disparity [B,64,192,1] in (0, 0.3)
 * ```
 * @see Hur & Roth, "Self-Supervised Monocular Scene Flow Estimation", CVPR 2020,
 *   https://arxiv.org/abs/2004.04143; Sun et al., "PWC-Net", CVPR 2018, https://arxiv.org/abs/1709.02371
 */
export function sceneFlowNet(options: SceneFlowNetOptions): SceneFlowNet {
  const {
    inputShape,
    levels = 4,
    finestLevel = 2,
    maxDisplacement = 4,
    widths: givenWidths,
    estimatorWidths = [48, 32, 16],
    maxDisparity = 0.3,
    key,
    name = 'scene_flow_net',
  } = options ?? ({} as SceneFlowNetOptions);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  checkInteger(levels, { op: OP, arg: 'levels', min: 2, max: 6 });
  checkInteger(finestLevel, { op: OP, arg: 'finestLevel', min: 1, max: levels });
  checkInteger(maxDisplacement, { op: OP, arg: 'maxDisplacement', min: 0, max: 32 });
  const widths = givenWidths ?? [16, 32, 48, 64, 96, 128].slice(0, levels);
  checkDimensions(widths, OP, 'widths', levels);
  checkDimensions(estimatorWidths, OP, 'estimatorWidths');
  checkNumber(maxDisparity, { op: OP, arg: 'maxDisparity', min: 0, exclusiveMin: true, max: 1 });
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
    maxDisparity,
    key: keyToString(key),
    name,
  };
  const pyramid = buildPyramid(inputShape, widths, name, foldIn(key, 0));
  recordArchitecture(pyramid, { name: OP, options: { ...recorded, part: 'pyramid' } });
  const cvChannels = (2 * maxDisplacement + 1) ** 2;
  const estimators = widths.slice(finestLevel - 1).map((w, i) => {
    const level = finestLevel + i;
    const shape = [
      height / 2 ** level,
      width / 2 ** level,
      cvChannels + w + (level < levels ? 4 : 0),
    ] as const;
    const model = buildEstimator(shape, estimatorWidths, 4, `${name}_level${level}`, foldIn(key, level));
    return recordArchitecture(model, { name: OP, options: { ...recorded, part: `level${level}` } });
  });
  const models: FlowNetModel[] = [pyramid, ...estimators].map((model) => ({ name: model.name, model }));

  const apply = (
    frame1: tf.Tensor4D,
    frame2: tf.Tensor4D,
    applyOptions: SceneFlowNetApplyOptions,
  ): SceneFlowEstimate[] => {
    const op = `${OP}.apply`;
    const dims = shapeBindings();
    checkShape(frame1, ['B', height, width, channels], { op, arg: 'frame1', bindings: dims });
    checkShape(frame2, ['B', height, width, channels], { op, arg: 'frame2', bindings: dims });
    const { intrinsics, baseline, training = false } = applyOptions ?? ({} as SceneFlowNetApplyOptions);
    checkShape(intrinsics, ['B', 3, 3], { op, arg: 'intrinsics', bindings: dims });
    checkNumber(baseline, { op, arg: 'baseline', min: 0, exclusiveMin: true });
    const flat = tf.tidy(op, (): tf.Tensor4D[] => {
      const batch = frame1.shape[0];
      const maps = pyramid.apply(centeredPair(frame1, frame2), { training }) as tf.Tensor4D[];
      const fx = tf.reshape(tf.slice(intrinsics, [0, 0, 0], [batch, 1, 1]), [batch, 1, 1, 1]);
      const depthScale = tf.div(tf.mul(fx, baseline), width); // depth = depthScale / disparity
      const estimates: SceneFlowEstimate[] = [];
      let previous: SceneFlowEstimate | undefined;
      for (let level = levels; level >= finestLevel; level--) {
        const [f1, f2] = pairFeatures(maps, level, batch);
        const [, h, w] = f1.shape;
        let input: tf.Tensor4D;
        let sceneFlowUp: tf.Tensor4D | undefined;
        if (previous === undefined) {
          input = tf.concat([matchingCost(f1, f2, maxDisplacement), f1], -1);
        } else {
          sceneFlowUp = resizeBilinear(previous.sceneFlow, [h, w]);
          const disparityUp = resizeBilinear(previous.disparity, [h, w]);
          const depth = tf.div(depthScale, disparityUp) as tf.Tensor4D;
          const K = scaleIntrinsics(intrinsics, [w / width, h / height]);
          const { warped } = sceneFlowWarp(f2, depth, sceneFlowUp, K);
          input = tf.concat([matchingCost(f1, warped, maxDisplacement), f1, sceneFlowUp, disparityUp], -1);
        }
        const out = estimators[level - finestLevel]!.apply(input, { training }) as tf.Tensor4D;
        const residual = tf.slice(out, [0, 0, 0, 0], [batch, h, w, 3]);
        const sceneFlow = (
          sceneFlowUp === undefined ? residual : tf.add(sceneFlowUp, residual)
        ) as tf.Tensor4D;
        const disparity = tf.mul(
          tf.sigmoid(tf.slice(out, [0, 0, 0, 3], [batch, h, w, 1])),
          maxDisparity,
        ) as tf.Tensor4D;
        previous = { sceneFlow, disparity };
        estimates.unshift(previous);
      }
      const finest = estimates[0]!;
      const full = {
        sceneFlow: resizeBilinear(finest.sceneFlow, [height, width]),
        disparity: resizeBilinear(finest.disparity, [height, width]),
      };
      return [full, ...estimates].flatMap((e) => [e.sceneFlow, e.disparity]);
    });
    const estimates: SceneFlowEstimate[] = [];
    for (let i = 0; i < flat.length; i += 2) estimates.push({ sceneFlow: flat[i]!, disparity: flat[i + 1]! });
    return estimates;
  };

  return {
    inputShape: [height, width, channels],
    levels,
    finestLevel,
    outputLevels: [0, ...estimators.map((_, i) => finestLevel + i)],
    maxDisplacement,
    maxDisparity,
    apply,
    trainableVariables: () => trainableVariables(pyramid, ...estimators),
    models,
    dispose: () => {
      for (const { model } of models) model.dispose();
    },
  };
}
