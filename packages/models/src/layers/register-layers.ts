import * as tf from '@tensorflow/tfjs-core';
import { Affine } from '../internal/affine-layer';
import { Resize } from '../internal/resize-layer';
import { BatchNorm } from './batch-norm';

let registered = false;

/**
 * Registers genoise's custom tfjs-layers classes ({@link BatchNorm}, and the weightless
 * `GenoiseAffine` scaling layer of `poseNet` and `depthNet`, and the weightless `GenoiseResize`
 * bilinear resize of the decoders and flow networks) for serialization, so that
 * `tf.loadLayersModel` and `tf.models.modelFromJSON` can rebuild models that use them. Idempotent;
 * the builders, `cloneModel` and `loadModel` call it, so only code that loads genoise models through
 * plain tfjs-layers needs to.
 *
 * @returns true on the call that registered, false afterwards
 * @example
 * ```ts
 * registerLayers();
 * const model = await tfl.loadLayersModel('indexeddb://encoder');
 * ```
 */
export function registerLayers(): boolean {
  if (registered) return false;
  tf.serialization.registerClass(BatchNorm);
  tf.serialization.registerClass(Affine);
  tf.serialization.registerClass(Resize);
  registered = true;
  return true;
}
