import { checkShape, defineOp, type Key, normal, shapeBindings, splitKey, uniform } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { FlowAugmentSettings } from './flow-options';

/**
 * Photometric augmentation of a batch of frame pairs, after UnFlow's `random_photometric`: one draw per
 * pair, the same for both frames (so the pair still matches), in this order:
 * contrast `x <- (x - 0.5)(1 + c) + 0.5`, `c ~ U(-contrast, contrast)`; per-channel gain
 * `x <- g_ch x`, `g ~ U(1 - color, 1 + color)`; gamma `x <- clip(x, 0, 1)^gamma`,
 * `gamma ~ U(1 - gamma, 1 + gamma)`; brightness `x <- x + b`, `b ~ N(0, brightness)`; then per-pixel
 * noise `N(0, noise)` drawn independently for each frame, and a clip to [0, 1]. It feeds the network
 * only; the losses compare the un-augmented frames.
 *
 * @param frame1 - float32 `[B, H, W, 3]` in [0, 1]
 * @param frame2 - float32 `[B, H, W, 3]`
 * @param key - the draw's key (same key, same augmentation)
 * @param settings - the ranges ({@link FlowAugmentSettings}; `enabled: false` returns copies)
 * @returns `[augmented1, augmented2]`, owned by the caller
 * @throws ShapeError when the frames are not `[B, H, W, 3]` of one shape
 * @see Meister, Hur, Roth, "UnFlow", AAAI 2018 (`augment.py`, `random_photometric`)
 */
export const photometricAugment = defineOp(
  'photometricAugment',
  (
    frame1: tf.Tensor4D,
    frame2: tf.Tensor4D,
    key: Key,
    settings: FlowAugmentSettings,
  ): [tf.Tensor4D, tf.Tensor4D] => {
    const op = 'photometricAugment';
    const dims = shapeBindings();
    checkShape(frame1, ['B', 'H', 'W', 3], { op, arg: 'frame1', bindings: dims });
    checkShape(frame2, ['B', 'H', 'W', 3], { op, arg: 'frame2', bindings: dims });
    if (!settings.enabled) return [tf.clone(frame1), tf.clone(frame2)];
    const [b] = frame1.shape;
    const [contrastKey, colorKey, gammaKey, brightnessKey, noise1Key, noise2Key] = splitKey(key, 6) as Key[];
    const perPair = (k: Key, min: number, max: number) => uniform(k!, [b, 1, 1, 1], { min, max });
    const c = perPair(contrastKey!, -settings.contrast, settings.contrast);
    const gain = uniform(colorKey!, [b, 1, 1, 3], { min: 1 - settings.color, max: 1 + settings.color });
    const gamma = perPair(gammaKey!, 1 - settings.gamma, 1 + settings.gamma);
    const brightness = normal(brightnessKey!, [b, 1, 1, 1], { std: settings.brightness });
    const apply = (x: tf.Tensor4D, noiseKey: Key) => {
      let y: tf.Tensor = tf.add(tf.mul(tf.sub(x, 0.5), tf.add(c, 1)), 0.5);
      y = tf.mul(y, gain);
      y = tf.pow(tf.clipByValue(y, 0, 1), gamma);
      y = tf.add(y, brightness);
      if (settings.noise > 0) y = tf.add(y, normal(noiseKey, x.shape, { std: settings.noise }));
      return tf.clipByValue(y, 0, 1) as tf.Tensor4D;
    };
    return [apply(frame1, noise1Key!), apply(frame2, noise2Key!)];
  },
);
