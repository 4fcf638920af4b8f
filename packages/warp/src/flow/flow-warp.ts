import { checkOneOf, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMap, type Padding } from '../internal/checks';
import { pixelGrid, sampleBilinear } from '../internal/sample';

/** Options of {@link flowWarp}. */
export interface FlowWarpOptions {
  /** Sampling padding, `'zeros'` (default) or `'border'`. */
  readonly padding?: Padding;
}

const OP = 'flowWarp';

/**
 * Backward warp by optical flow: `out(x) = image(x + flow(x))`. With `image = I2` and `flow` the forward
 * flow from frame 1 to frame 2 (`I1(x) ~ I2(x + flow(x))`), the output reconstructs `I1`.
 * Differentiable w.r.t. the image and the flow.
 *
 * @param image - float32 `[B, H, W, C]`, the frame that is sampled (any `C`, so flows can be warped too)
 * @param flow - float32 `[B, H, W, 2]`, (u, v) in pixels, x right, y down
 * @param options.padding - `'zeros'` (default) or `'border'`
 * @returns float32 `[B, H, W, C]`
 * @throws ShapeError for ranks, batch or size mismatches; DTypeError; ArgumentError for the options
 * @example
 * ```ts
 * const i1FromI2 = flowWarp(i2, flowForward);
 * ```
 * @see Meister et al. 2018, UnFlow
 */
export const flowWarp = defineOp(
  OP,
  (image: tf.Tensor4D, flow: tf.Tensor4D, options?: FlowWarpOptions): tf.Tensor4D => {
    const dims = shapeBindings();
    checkMap(image, ['B', 'H', 'W', 'C'], OP, 'image', dims);
    checkMap(flow, ['B', 'H', 'W', 2], OP, 'flow', dims);
    const { padding = 'zeros' } = checkOptions(options, ['padding'], { op: OP });
    checkOneOf(padding, ['zeros', 'border'], { op: OP, arg: 'padding' });
    const [, height, width] = image.shape;
    return sampleBilinear(image, tf.add(pixelGrid(height, width), flow) as tf.Tensor4D, padding);
  },
);
