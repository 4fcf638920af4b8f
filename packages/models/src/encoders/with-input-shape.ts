import { ArgumentError } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { recordArchitecture, recordedArchitecture } from '../internal/architecture';
import { replayModel } from '../internal/graph';
import { checkDimensions } from '../internal/validate';
import { checkEncoder } from './encoder-stages';

const OP = 'withInputShape';

/**
 * The same encoder for another input size: a new model that calls `encoder`'s own layers on a
 * `[B, h, w, c]` input, so it shares every weight and batch-norm statistic with `encoder` (no copy;
 * training one trains the other). A trunk trained on 16x16 tiles is thereby the same weights as the
 * 28x28 encoder evaluated on full images.
 *
 * Works for fully convolutional encoders ending in a global pool ({@link smallConvNet},
 * {@link resnet18}); `c` must equal the encoder's input channels (the first kernel's depth). Every
 * stage halves the size with 'same' padding, so any `h, w >= 1` runs (sizes round up: 7 -> 4).
 * The new model's recorded architecture is the encoder's with `inputShape` replaced, so `saveModel`
 * records the size it runs at.
 *
 * Do not `dispose()` one of the two models while the other is in use: both own the shared weights.
 *
 * @param encoder - a functional model with one input `[B, H, W, c]` and one output
 * @param inputShape - the new input size `[h, w, c]`
 * @returns a `tf.LayersModel` `[B, h, w, c] -> ` the encoder's output at that size
 * @throws ArgumentError when `encoder` is not a one-input, one-output LayersModel, `inputShape` is not
 *   three positive integers, or its channel count differs from the encoder's
 * @example
 * ```ts
 * const encoder = smallConvNet({ inputShape: [28, 28, 1], key: createKey(0) });
 * const tiles = withInputShape(encoder, [16, 16, 1]); // train on tiles ...
 * encoder.predict(tf.zeros([1, 28, 28, 1])); // ... and the 28x28 encoder has the trained weights
 * ```
 */
export function withInputShape(
  encoder: tfl.LayersModel,
  inputShape: readonly [number, number, number],
): tfl.LayersModel {
  checkEncoder(encoder, OP);
  checkDimensions(inputShape, OP, 'inputShape', 3);
  const original = encoder.inputs[0]!.shape;
  const channels = original[original.length - 1];
  if (original.length !== 4 || inputShape[2] !== channels) {
    throw new ArgumentError({
      op: OP,
      argument: 'inputShape',
      message: `${OP}: 'inputShape' [${inputShape.join(', ')}] must keep the encoder's ${channels} input channels (the encoder takes [${original.join(', ')}]).`,
    });
  }
  const input = tfl.input({ shape: [...inputShape], name: `${encoder.name}_input_${inputShape.join('x')}` });
  const { outputs } = replayModel(encoder, input);
  const model = tfl.model({ inputs: input, outputs, name: encoder.name });
  const architecture = recordedArchitecture(encoder);
  return architecture === undefined
    ? model
    : recordArchitecture(model, {
        name: architecture.name,
        options: { ...architecture.options, inputShape: [...inputShape] },
      });
}
