import { checkOneOf, checkOptions, defineOp, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkMap, type Padding } from '../internal/checks';
import { sampleBilinear } from '../internal/sample';

/** Options of {@link bilinearSample}. */
export interface BilinearSampleOptions {
  /**
   * What a coordinate outside the image reads: `'zeros'` (default, PyTorch `grid_sample`'s default)
   * treats every pixel outside `[0, W-1] x [0, H-1]` as 0; `'border'` clamps the coordinate into that
   * range first (its gradient is then 0 along the clamped axis), as monodepth2 samples.
   */
  readonly padding?: Padding;
}

const OP = 'bilinearSample';

/**
 * Samples `image` at fractional pixel coordinates with bilinear interpolation, differentiably with
 * respect to both the image and the coordinates (PyTorch `grid_sample`, `mode='bilinear'`, in pixel
 * units; convert normalised grids with {@link fromNormalizedCoords}).
 *
 * With `x0 = floor(x)`, `x1 = x0 + 1`, `a = x - x0` (and `y0`, `y1`, `b` likewise):
 * `out = (1-a)(1-b) I[y0,x0] + a(1-b) I[y0,x1] + (1-a) b I[y1,x0] + a b I[y1,x1]`,
 * where a corner outside the image reads 0 (`'zeros'`), or the coordinate is first clamped to
 * `[0, W-1] x [0, H-1]` (`'border'`). Integer coordinates return the pixel exactly. NaN coordinates read
 * as far outside the image (0 with `'zeros'`, the first row or column with `'border'`).
 *
 * The four corners are gathered with integer indices that the gradient tape does not see, and weighted
 * by fractional weights computed from the coordinates: gradients reach the image through the gather
 * (a custom gradient that scatter-adds with ScatterNd, so no UnsortedSegmentSum kernel is needed) and
 * the coordinates through the weights (`d out / dx = (1-b)(I[y0,x1] - I[y0,x0]) + b (I[y1,x1] - I[y1,x0])`),
 * as the TF1 samplers of SfMLearner and UnFlow do. The coordinate gradient is discontinuous at integer
 * coordinates (bilinear kinks).
 *
 * @param image - float32 `[B, H, W, C]`, any `C >= 1`
 * @param coords - float32 `[B, Ho, Wo, 2]`, (x, y) in pixels, x right, y down, pixel centres at integers
 * @param options.padding - `'zeros'` (default) or `'border'`
 * @returns float32 `[B, Ho, Wo, C]`
 * @throws ShapeError for ranks, a batch mismatch or a last coordinate axis that is not 2; DTypeError for
 *   non-float32 tensors; ArgumentError for an unknown padding
 * @example
 * ```ts
 * const image = tf.tensor4d([0, 1, 2, 3], [1, 2, 2, 1]);
 * const coords = tf.tensor4d([0.5, 0.5], [1, 1, 1, 2]);
 * bilinearSample(image, coords); // [[[[1.5]]]]
 * ```
 * @see Jaderberg et al. 2015, Spatial Transformer Networks
 */
export const bilinearSample = defineOp(
  OP,
  (image: tf.Tensor4D, coords: tf.Tensor4D, options?: BilinearSampleOptions): tf.Tensor4D => {
    const dims = shapeBindings();
    checkMap(image, ['B', 'H', 'W', 'C'], OP, 'image', dims);
    checkMap(coords, ['B', 'Ho', 'Wo', 2], OP, 'coords', dims);
    const { padding = 'zeros' } = checkOptions(options, ['padding'], { op: OP });
    checkOneOf(padding, ['zeros', 'border'], { op: OP, arg: 'padding' });
    return sampleBilinear(image, coords, padding);
  },
);
