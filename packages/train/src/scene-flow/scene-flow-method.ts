import type { Key } from '@genoise/core';
import { type SceneFlowNet, sceneFlowNet } from '@genoise/models';
import { scaleIntrinsics } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../config/train-config';
import { downsampleImage } from '../depth/geometry-losses';
import type { Method, MethodLoss } from '../method/method';
import { checkStereoVideoData, type StereoVideoData, type StereoVideoExamples } from './scene-flow-data';
import { balanceLosses, sceneFlowLevelLoss } from './scene-flow-losses';
import type { SceneFlowOptions } from './scene-flow-options';

/** The scene-flow method as the loop drives it, with its network for evaluation. */
export interface SceneFlowMethod extends Method<StereoVideoData, StereoVideoExamples & tf.NamedTensorMap> {
  readonly net: SceneFlowNet;
  /** The stereo baseline the network converts disparity to depth with (the data's). */
  readonly baseline: number;
}

/** Builds the run's sceneFlowNet from `key` (same key, same weights). */
export function buildSceneFlowNet(options: SceneFlowOptions, key: Key): SceneFlowNet {
  const n = options.network;
  return sceneFlowNet({
    inputShape: [options.height, options.width, 3],
    levels: n.levels,
    finestLevel: n.finestLevel,
    maxDisplacement: n.maxDisplacement,
    widths: [...n.widths],
    estimatorWidths: [...n.estimatorWidths],
    maxDisparity: options.maxDisparity,
    key,
  });
}

/**
 * The scene-flow loss of one batch of stereo videos (self-mono-sf's `Loss_SceneFlow_SelfSup`): the
 * network runs once on `[l1; l2] -> [l2; l1]` (batch `2B`: frame 1's disparity and forward scene flow,
 * frame 2's disparity and backward scene flow); loss level `i` (weight `levelWeights[i]`) takes the
 * network's output `i` of `[full resolution, F+1, F+2, ...]` (level F's estimate upsampled to the input,
 * then the coarser estimates at their own resolution with area-downsampled images and scaled
 * intrinsics); `L = balance(Σ_i w_i L_sf,i, Σ_i w_i L_d,i)` ({@link balanceLosses}).
 *
 * Simplified from the paper for two CPU cores: a 4-level pyramid at 64x128 (theirs: 7 levels at 256x832,
 * 5 loss levels at 1/4 to 1/64; here 3 loss levels, the finest at full resolution as Monodepth2's
 * full-resolution multi-scale, since level 1/4 of 64x128 is only 16x32); the stereo occlusion mask keeps
 * the left pixels whose match lies inside the right image (theirs splats the right disparity, which needs
 * the network on the mirrored right images: two more passes per step); the splatting fallback is per
 * image; no photometric or geometric augmentation.
 */
export function sceneFlowLoss(
  net: SceneFlowNet,
  examples: StereoVideoExamples,
  options: SceneFlowOptions,
  baseline: number,
  training = true,
): MethodLoss {
  const { left1, right1, left2, right2, K } = examples;
  const [, height, width] = left1.shape;
  return tf.tidy(() => {
    const left = tf.concat([left1, left2], 0) as tf.Tensor4D;
    const right = tf.concat([right1, right2], 0) as tf.Tensor4D;
    const next = tf.concat([left2, left1], 0) as tf.Tensor4D;
    const KK = tf.concat([K, K], 0) as tf.Tensor3D;
    const estimates = net.apply(left, next, { intrinsics: KK, baseline, training });
    const outputs = [estimates[0]!, ...estimates.slice(2)];
    const sceneFlowParts: tf.Scalar[] = [];
    const disparityParts: tf.Scalar[] = [];
    const named: Record<string, tf.Scalar[]> = {
      stereoPhotometric: [],
      flowPhotometric: [],
      points: [],
      smoothness3d: [],
    };
    let visible: tf.Scalar | undefined;
    options.levelWeights.forEach((weight, i) => {
      const e = outputs[i]!;
      const [, h] = e.disparity.shape;
      const factor = Math.round(Math.log2(height / h));
      const level = {
        left: downsampleImage(left, factor),
        right: downsampleImage(right, factor),
        disparity: e.disparity,
        sceneFlow: e.sceneFlow,
        K: factor === 0 ? KK : scaleIntrinsics(KK, [e.disparity.shape[2] / width, h / height]),
      };
      const terms = sceneFlowLevelLoss(level, i, baseline, options);
      sceneFlowParts.push(tf.mul(terms.sceneFlow, weight) as tf.Scalar);
      disparityParts.push(tf.mul(terms.disparity, weight) as tf.Scalar);
      for (const name of Object.keys(named)) named[name]!.push(terms[name as keyof typeof terms]);
      if (i === 0) visible = terms.visible;
    });
    const sceneFlowSum = tf.addN(sceneFlowParts) as tf.Scalar;
    const disparitySum = tf.addN(disparityParts) as tf.Scalar;
    const loss = balanceLosses(sceneFlowSum, disparitySum, options.balance);
    return {
      loss,
      terms: {
        sceneFlow: sceneFlowSum,
        disparity: disparitySum,
        ...Object.fromEntries(Object.entries(named).map(([k, v]) => [k, v[0]!])),
        visible: visible!,
      },
    };
  });
}

/** The scene-flow method over stereo videos (see {@link sceneFlowLoss}). */
export function sceneFlowMethod(
  config: TrainConfig<SceneFlowOptions>,
  key: Key,
  data: StereoVideoData,
): SceneFlowMethod {
  const options = config.method;
  checkStereoVideoData({ ...options, batchSize: config.batchSize }, data, 'fit');
  const net = buildSceneFlowNet(options, key);
  const baseline = data.baseline;
  return {
    name: options.name,
    net,
    baseline,
    models: net.models,
    trainableVariables: () => net.trainableVariables(),
    batch: (videos, indices) => videos.examples(indices) as StereoVideoExamples & tf.NamedTensorMap,
    loss: (batch) => sceneFlowLoss(net, batch, options, baseline),
    dispose: () => net.dispose(),
  };
}
