import { checkBoolean, checkKey, checkNumber, type Key, keyToString } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initializeWeights } from '../init/initialize-weights';
import { recordArchitecture } from '../internal/architecture';
import { applyLayer, basicBlock, convBnRelu } from '../internal/blocks';
import { checkDimensions } from '../internal/validate';
import { registerLayers } from '../layers/register-layers';

/** Options of {@link resnet18}. */
export interface ResNet18Options {
  /** Input image size `[H, W, C]`, e.g. `[32, 32, 3]`. Required. */
  readonly inputShape: readonly [number, number, number];
  /** Scales every width: stages have `round(64 m), round(128 m), round(256 m), round(512 m)` channels. Default 1. */
  readonly widthMultiplier?: number;
  /**
   * CIFAR-style stem for small images: one 3x3 stride-1 convolution and no max-pool. When false, the
   * ImageNet stem: 7x7 stride-2 convolution, then 3x3 stride-2 max-pool. Default true.
   */
  readonly smallImageStem?: boolean;
  /** Moving-average momentum of the batch-norm statistics. Default 0.9 (see `BatchNorm`). */
  readonly batchNormMomentum?: number;
  /** The key every weight is drawn from. Required. */
  readonly key: Key;
  /** Model name and layer-name prefix. Default `'resnet18'`. */
  readonly name?: string;
}

const OP = 'resnet18';

/** The stage widths of a ResNet-18 scaled by `m`: `max(1, round(w * m))` for w in 64, 128, 256, 512. */
export function resnetWidths(widthMultiplier: number): [number, number, number, number] {
  const scale = (w: number): number => Math.max(1, Math.round(w * widthMultiplier));
  return [scale(64), scale(128), scale(256), scale(512)];
}

/**
 * ResNet-18 encoder: a stem, four stages of two BasicBlocks with `64m, 128m, 256m, 512m` channels
 * (strides 1, 2, 2, 2), and a global average pool: `[B, H, W, C] -> [B, round(512 m)]`. A BasicBlock
 * computes `relu(BN(conv3x3(relu(BN(conv3x3_s(x))))) + shortcut(x))`, the shortcut a 1x1 stride-s
 * convolution with BN when the stride or width changes and the identity otherwise. No convolution has
 * a bias (each is followed by BN).
 *
 * Parameters, with widths `w_1..w_4`, stem width `w_1` and 4 numbers per BN channel: stem
 * `k^2 C w_1 + 4 w_1` (`k` = 3 or 7); per block `9 c_in w + 9 w^2 + 8 w`, plus `c_in w + 4 w` for a
 * projection shortcut.
 *
 * @param options - see {@link ResNet18Options}
 * @returns a `tf.LayersModel` mapping `[B, H, W, C]` to `[B, round(512 m)]`, weights from `options.key`
 * @throws ArgumentError naming the option (`inputShape`, `widthMultiplier`, `smallImageStem`,
 *   `batchNormMomentum`, `key`) when it is missing or out of range
 * @example
 * ```ts
 * const encoder = resnet18({ inputShape: [32, 32, 3], widthMultiplier: 0.25, key: createKey(0) });
 * const features = encoder.predict(tf.zeros([2, 32, 32, 3])) as tf.Tensor; // [2, 128]
 * ```
 * @see He et al., "Deep Residual Learning for Image Recognition", CVPR 2016, https://arxiv.org/abs/1512.03385
 */
export function resnet18(options: ResNet18Options): tfl.LayersModel {
  const {
    inputShape,
    widthMultiplier = 1,
    smallImageStem = true,
    batchNormMomentum = 0.9,
    key,
    name = 'resnet18',
  } = options ?? ({} as ResNet18Options);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  checkNumber(widthMultiplier, { op: OP, arg: 'widthMultiplier', min: 0, exclusiveMin: true, max: 64 });
  checkBoolean(smallImageStem, { op: OP, arg: 'smallImageStem' });
  checkNumber(batchNormMomentum, { op: OP, arg: 'batchNormMomentum', min: 0, max: 1 });
  checkKey(key, OP);
  registerLayers();

  const widths = resnetWidths(widthMultiplier);
  const input = tfl.input({ shape: [...inputShape], name: `${name}_input` });
  let x = convBnRelu(input, {
    name: `${name}_stem`,
    filters: widths[0],
    kernelSize: smallImageStem ? 3 : 7,
    strides: smallImageStem ? 1 : 2,
    batchNorm: true,
    batchNormMomentum,
    relu: true,
  });
  if (!smallImageStem) {
    x = applyLayer(
      tfl.layers.maxPooling2d({ name: `${name}_stem_pool`, poolSize: 3, strides: 2, padding: 'same' }),
      x,
    );
  }
  widths.forEach((filters, stage) => {
    for (let block = 0; block < 2; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1;
      x = basicBlock(x, filters, strides, `${name}_stage${stage + 1}_block${block + 1}`, batchNormMomentum);
    }
  });
  const features = applyLayer(tfl.layers.globalAveragePooling2d({ name: `${name}_pool` }), x);
  const model = tfl.model({ inputs: input, outputs: features, name });
  initializeWeights(model, key);
  return recordArchitecture(model, {
    name: OP,
    options: {
      inputShape: [...inputShape],
      widthMultiplier,
      smallImageStem,
      batchNormMomentum,
      key: keyToString(key),
      name,
    },
  });
}
