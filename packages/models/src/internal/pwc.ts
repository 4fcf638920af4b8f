import type { Key } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { costVolume } from '../flow/cost-volume';
import { initializeWeights } from '../init/initialize-weights';
import { applyLayer, type Node } from './blocks';

/** The estimators' output kernel is He normal times this. */
export const OUTPUT_SCALE = 0.1;

/** PWC-Net's leaky ReLU slope. */
export const SLOPE = 0.1;

/** Conv3x3 (same padding, bias, zero-created kernel) then leaky ReLU unless `linear`. */
export function convLeaky(x: Node, name: string, filters: number, strides: number, linear = false): Node {
  const y = applyLayer(
    tfl.layers.conv2d({
      name: `${name}_conv`,
      filters,
      kernelSize: 3,
      strides,
      padding: 'same',
      useBias: true,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  return linear ? y : applyLayer(tfl.layers.leakyReLU({ name: `${name}_lrelu`, alpha: SLOPE }), y);
}

/**
 * The pyramid's input: both frames of each pair minus the pair's per-channel mean (over both frames'
 * pixels), stacked as one batch `[2B, H, W, C]` (frame 1 first). IRR-PWC and self-mono-sf centre their
 * input this way (FlowNet and UnFlow subtract a dataset mean); on [0, 1] frames without it, the
 * supervised flowNet sat at the zero-flow EPE for 500-1,000 Adam steps before learning (flying shapes,
 * 64x64: EPE 2.96 at step 500 uncentred against 2.22 centred).
 */
export function centeredPair(frame1: tf.Tensor4D, frame2: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const mean = tf.div(tf.add(tf.mean(frame1, [1, 2], true), tf.mean(frame2, [1, 2], true)), 2);
    return tf.concat([tf.sub(frame1, mean), tf.sub(frame2, mean)], 0) as tf.Tensor4D;
  });
}

/** Level `level`'s features of frame 1 and frame 2 from the pyramid's maps of the stacked pair `[2B, ...]`. */
export function pairFeatures(
  maps: readonly tf.Tensor4D[],
  level: number,
  batch: number,
): [tf.Tensor4D, tf.Tensor4D] {
  const f = maps[level - 1]!;
  const [, h, w, c] = f.shape;
  return [tf.slice(f, [0, 0, 0, 0], [batch, h, w, c]), tf.slice(f, [batch, 0, 0, 0], [batch, h, w, c])];
}

/** A level's matching cost: `lrelu(costVolume(f1, warped, d, normalize))`, PWC-Net's leaky ReLU on the cosine cost volume. */
export function matchingCost(f1: tf.Tensor4D, warped: tf.Tensor4D, maxDisplacement: number): tf.Tensor4D {
  return tf.leakyRelu(costVolume(f1, warped, { maxDisplacement, normalize: true }), SLOPE) as tf.Tensor4D;
}

/**
 * The shared feature pyramid of the PWC-style networks: per level l = 1..L, conv3x3 stride 2 then
 * conv3x3, each with bias and leaky ReLU: `[B, H, W, C] -> L maps, finest first` (`1/2^l` of the input).
 */
export function buildPyramid(
  inputShape: readonly [number, number, number],
  widths: readonly number[],
  name: string,
  key: Key,
): tfl.LayersModel {
  const image = tfl.input({ shape: [...inputShape], name: `${name}_pyramid_input` });
  const features: Node[] = [];
  let x: Node = image;
  widths.forEach((w, i) => {
    x = convLeaky(x, `${name}_pyramid_level${i + 1}_a`, w, 2);
    x = convLeaky(x, `${name}_pyramid_level${i + 1}_b`, w, 1);
    features.push(x);
  });
  const pyramid = tfl.model({ inputs: image, outputs: features, name: `${name}_pyramid` });
  return initializeWeights(pyramid, key);
}

/**
 * One level's estimator: conv3x3-lrelu per hidden width, then a linear conv3x3 to `outputs` channels
 * whose kernel is He normal times {@link OUTPUT_SCALE}.
 */
export function buildEstimator(
  shape: readonly [number, number, number],
  hiddenWidths: readonly number[],
  outputs: number,
  name: string,
  key: Key,
): tfl.LayersModel {
  const input = tfl.input({ shape: [...shape], name: `${name}_input` });
  let y: Node = input;
  hiddenWidths.forEach((hidden, j) => {
    y = convLeaky(y, `${name}_hidden${j + 1}`, hidden, 1);
  });
  y = convLeaky(y, `${name}_flow`, outputs, 1, true);
  const model = tfl.model({ inputs: input, outputs: y, name });
  initializeWeights(model, key);
  // A small output layer (He normal / 10), so the untrained network predicts small flows (PWC-Net's
  // outputs are small too: it regresses flow / 20): He normal here gave random flows of ~7 px at 32x32.
  const kernel = model.getLayer(`${name}_flow_conv`).weights[0]!;
  const scaled = tf.mul(kernel.read(), OUTPUT_SCALE);
  kernel.write(scaled);
  scaled.dispose();
  return model;
}
